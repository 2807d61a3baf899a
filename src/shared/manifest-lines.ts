// Where things are in a plugin.toml, to put editor markers on the right line. smol-toml gives
// values, not positions, so this reads the text line by line. Every lookup is a map access:
// a manifest with tens of thousands of entries, each with an issue, stays linear.

/** Where each table header and key starts in the TOML text. */
export class LineIndex {
  private readonly starts = new Map<string, number>();
  /** Every line a header or key starts on, ascending. */
  private readonly keyLines: number[] = [];
  /** Per key line: the first line of each string literal up to the next key line. */
  private readonly literals = new Map<number, Map<string, number>>();
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
    let table = '';
    let inMultilineString = false;
    this.lines.forEach((line, i) => {
      const skip = inMultilineString;
      if ((line.match(/"""|'''/g) ?? []).length % 2 === 1) inMultilineString = !inMultilineString;
      if (skip) return;
      const header = /^\s*\[\[?\s*([^\]]+?)\s*\]/.exec(line);
      const key = /^\s*((?:[\w-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[\w-]+|"[^"]*"|'[^']*'))*)\s*=/.exec(line);
      if (header) table = keyPath(header[1] ?? '');
      const path = header ? table : key ? [table, keyPath(key[1] ?? '')].filter(Boolean).join('.') : '';
      if (path) this.record(path, i + 1);
    });
  }

  /** The line of `field` (or of the quoted `value` inside it), else of its nearest parent. */
  find(field: string, value: unknown): number | undefined {
    let path = field.replace(/\[\d+\]$/, '');
    const start = this.starts.get(path);
    if (start !== undefined && typeof value === 'string') {
      const literals = this.literalsFrom(start);
      const found = literals.get(JSON.stringify(value)) ?? literals.get(`'${value}'`);
      if (found !== undefined) return found;
    }
    for (; path !== ''; path = path.slice(0, Math.max(path.lastIndexOf('.'), 0))) {
      const line = this.starts.get(path);
      if (line !== undefined) return line;
    }
    return undefined;
  }

  private record(path: string, line: number): void {
    if (this.keyLines[this.keyLines.length - 1] !== line) this.keyLines.push(line);
    const parts = path.split('.');
    for (let n = 1; n <= parts.length; n++) {
      const prefix = parts.slice(0, n).join('.');
      if (!this.starts.has(prefix)) this.starts.set(prefix, line);
    }
  }

  /** Built once per key, on the first issue that needs it. */
  private literalsFrom(start: number): Map<string, number> {
    const known = this.literals.get(start);
    if (known) return known;
    const found = new Map<string, number>();
    const end = this.keyLines[upperBound(this.keyLines, start)] ?? this.lines.length + 1;
    for (let line = start; line < end; line++) {
      for (const literal of this.lines[line - 1]?.match(/"(?:[^"\\]|\\.)*"|'[^']*'/g) ?? []) {
        if (!found.has(literal)) found.set(literal, line);
      }
    }
    this.literals.set(start, found);
    return found;
  }
}

/** The index of the first element greater than `value` in an ascending array. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function keyPath(raw: string): string {
  return raw
    .split('.')
    .map((part) => part.trim().replace(/^["']|["']$/g, ''))
    .join('.');
}
