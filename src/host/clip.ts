// What the host keeps of a value a plugin handed it (trace records, events-log rows): bounded
// in size, and made of its own copies, so nothing kept holds on to a plugin's big strings or
// buffers after the call that brought them.
import { MAX_CLIP_DEPTH, OWN_COPY_CACHE_MAX_CHARS, OWN_COPY_CACHE_STRINGS } from '../shared/limits.ts';

/**
 * V8 makes a slice of 13 or more characters point into the string it was cut from, and that
 * string then lives as long as the slice (a 2 KiB line cut from a 20 MiB one holds all 20 MiB).
 * Shorter slices are copies already.
 */
const SHARED_SLICE_MIN = 13;

/** What counting charges for a value that is not text: about its length as JSON. */
const SCALAR_COST = 8;

/**
 * Short strings recur from record to record (reasons, names, keys): one copy of each serves
 * them all, which saves the copying and the memory. Keys and values are the copies themselves.
 */
const recent = new Map<string, string>();

/**
 * The same characters in a string of their own. A slice, or a string made of pieces, may share
 * memory with a much bigger string; structuredClone always writes new characters.
 */
export function ownCopy(text: string): string {
  if (text.length < SHARED_SLICE_MIN) return text;
  if (text.length > OWN_COPY_CACHE_MAX_CHARS) return structuredClone(text);
  let own = recent.get(text);
  if (own === undefined) {
    if (recent.size >= OWN_COPY_CACHE_STRINGS) recent.clear();
    own = structuredClone(text);
    recent.set(own, own);
  }
  return own;
}

/** At most `max` characters of `text` (not splitting a surrogate pair), saying how many went. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return ownCopy(text);
  const end = max > 0 && isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return ownCopy(`${text.slice(0, end)}… [${text.length - end} more characters]`);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export interface ClipLimits {
  /** The longest string kept. */
  string: number;
  /** Characters all strings, keys and items of the value may add up to; past it lists and objects are cut. */
  total: number;
}

/** A bounded copy of a value, and about how many characters it keeps. */
export interface Clipped<T> {
  value: T;
  chars: number;
}

/** One walk over a value, charging what it keeps to one budget. */
class Clipper {
  chars = 0;

  constructor(private readonly limits: ClipLimits) {}

  private get left(): number {
    return this.limits.total - this.chars;
  }

  text(text: string): string {
    const kept = clipText(text, Math.min(this.limits.string, Math.max(0, this.left)));
    this.chars += kept.length + 2;
    return kept;
  }

  value(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') {
      this.chars += SCALAR_COST;
      return typeof value === 'function' || typeof value === 'symbol' ? String(value) : value;
    }
    if (depth > MAX_CLIP_DEPTH) return this.marker('… [nested too deep]');
    if (ArrayBuffer.isView(value)) return this.bytes(value);
    if (Array.isArray(value)) return this.list(value, depth);
    return this.object(value as Record<string, unknown>, depth);
  }

  /** Small byte arrays as copies of just their bytes (a view may sit on a much bigger buffer). */
  private bytes(view: ArrayBufferView): unknown {
    const fits = view.byteLength <= Math.min(this.limits.string, this.left);
    this.chars += fits ? view.byteLength : SCALAR_COST;
    if (!fits || view instanceof DataView) return `<${view.byteLength} bytes>`;
    return (view as Uint8Array).slice();
  }

  private list(items: readonly unknown[], depth: number): unknown[] {
    const kept: unknown[] = [];
    for (const item of items) {
      if (this.left <= 0) {
        kept.push(this.marker(`… [${items.length - kept.length} more items]`));
        break;
      }
      kept.push(this.value(item, depth + 1));
    }
    return kept;
  }

  private object(fields: Record<string, unknown>, depth: number): Record<string, unknown> {
    const kept: Record<string, unknown> = {};
    const entries = Object.entries(fields);
    for (const [i, [key, item]] of entries.entries()) {
      if (this.left <= 0) {
        kept['…'] = this.marker(`${entries.length - i} more fields`);
        break;
      }
      keep(kept, this.key(key), this.value(item, depth + 1));
    }
    return kept;
  }

  /** Says what was cut; counted, never cut itself. */
  private marker(text: string): string {
    this.chars += text.length + 2;
    return text;
  }

  /** Keys are cut to the longest string only: cut shorter, two could become one. */
  key(key: string): string {
    const kept = clipText(key, this.limits.string);
    this.chars += kept.length + 2;
    return kept;
  }

  /** A field of the record itself: cut to the longest string, whatever the budget says. */
  field(item: unknown): unknown {
    if (typeof item !== 'string') return this.value(item, 1);
    return this.key(item);
  }
}

/** Sets a field, also one named `__proto__` (which plain assignment would take as the prototype). */
function keep(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A copy of `value` within `limits`: long strings cut, long lists and big objects cut once the total is spent. */
export function clipValue<T>(value: T, limits: ClipLimits): Clipped<T> {
  const clipper = new Clipper(limits);
  return { value: clipper.value(value, 0) as T, chars: clipper.chars };
}

/**
 * A copy of a record whose own fields all stay (numbers and flags whole, strings cut to
 * `limits.string`), while the values inside them share `limits.total`. Fields named in `own`
 * hold the host's own short strings and are kept as they are.
 */
export function clipFields<T extends object>(record: T, limits: ClipLimits, own: ReadonlySet<string> = new Set()): Clipped<T> {
  const clipper = new Clipper(limits);
  const kept: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) keep(kept, key, own.has(key) ? item : clipper.field(item));
  return { value: kept as T, chars: clipper.chars };
}
