// Turns the printer's text for a renamed component (see rename.ts) back into the component's
// own names: the world as the component declares it, then each foreign package as a nested
// `package ns:pkg@1.0.0 { interface … }` block holding the interfaces in full.

function packageOf(original: string): { pkg: string; iface: string } | undefined {
  const match = /^([^:/]+:[^/]+)\/([^@]+)(@.+)?$/.exec(original);
  return match ? { pkg: `${match[1]}${match[3] ?? ''}`, iface: match[2]! } : undefined;
}

/** The full WIT of a component, from `componentWit` of its renamed bytes and the rename table. */
export function restoreNames(printed: string, names: Readonly<Record<string, string>>): string {
  const real = (name: string) => names[name] ?? name;
  const fix = (line: string) =>
    line
      .replace(/^(\s*use )([a-z][\w-]*)\./, (_, head: string, name: string) => `${head}${real(name)}.`)
      .replace(/^(\s*(?:import|export) )([a-z][\w-]*);/, (_, head: string, name: string) => `${head}${real(name)};`);

  const head: string[] = [];
  const packages = new Map<string, string[]>();
  const lines = printed.replace(/\s+$/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^interface ([a-z][\w-]*) \{$/.exec(lines[i]!);
    const original = open ? packageOf(real(open[1]!)) : undefined;
    if (!open || !original) {
      head.push(fix(lines[i]!));
      continue;
    }
    const block = [`interface ${original.iface} {`];
    for (i++; i < lines.length && lines[i] !== '}'; i++) block.push(fix(lines[i]!));
    block.push('}');
    const members = packages.get(original.pkg) ?? [];
    if (members.length) members.push('');
    members.push(...block.map((line) => (line ? `  ${line}` : line)));
    packages.set(original.pkg, members);
  }
  const text = head
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const nested = [...packages].map(([pkg, members]) => `package ${pkg} {\n${members.join('\n')}\n}`);
  return [text, ...nested].join('\n\n') + '\n';
}
