// The WIT type model the Explore view works from: what a component imports and exports, with
// every type resolved in place (WIT types cannot be recursive, so a tree always ends). Named
// types keep their name for display. Plain data only: it crosses to workers and into IndexedDB.

export const INTEGER_KINDS = ['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64'] as const;
export const PRIMITIVE_KINDS = ['bool', ...INTEGER_KINDS, 'f32', 'f64', 'char', 'string'] as const;

export type IntegerKind = (typeof INTEGER_KINDS)[number];
export type PrimitiveKind = (typeof PRIMITIVE_KINDS)[number];

interface Named {
  /** The typedef's name when the type was named in WIT (`record point`, `type id = u64`). */
  name?: string;
}

export interface WitField {
  name: string;
  type: WitType;
}

export interface WitCase {
  name: string;
  type?: WitType;
}

export type WitType = Named &
  (
    | { kind: PrimitiveKind }
    | { kind: 'list'; element: WitType; length?: number }
    | { kind: 'option'; inner: WitType }
    | { kind: 'result'; ok?: WitType; err?: WitType }
    | { kind: 'tuple'; items: WitType[] }
    | { kind: 'record'; fields: WitField[] }
    | { kind: 'variant'; cases: WitCase[] }
    | { kind: 'enum'; cases: string[] }
    | { kind: 'flags'; flags: string[] }
    | { kind: 'own' | 'borrow'; resource: string }
    /** Async types (future, stream, error-context): shown, never called with. */
    | { kind: 'unsupported'; text: string }
  );

export interface WitParam {
  name: string;
  type: WitType;
}

export interface WitFunction {
  /** As WIT names it: `add`, or for resources `[constructor]r`, `[method]r.get`, `[static]r.make`. */
  name: string;
  params: WitParam[];
  result?: WitType;
  /** For a resource's functions: which resource, and how it is called. */
  resource?: { name: string; role: 'constructor' | 'method' | 'static' };
  async?: boolean;
}

export interface WitInterface {
  /** As the component names it: `test:flavorful/test`, `docs:adder/add@0.1.0`, or a plain name for an inline one. */
  name: string;
  /** jco's import-object key: the name without its version. */
  key: string;
  functions: WitFunction[];
  resources: string[];
  /** Named types it defines, in order, for display. */
  types: Array<{ name: string; type: WitType }>;
}

export type WorldItem = { kind: 'interface'; iface: WitInterface } | { kind: 'function'; fn: WitFunction };

export interface WitWorld {
  imports: WorldItem[];
  exports: WorldItem[];
}

/** A function's name in forms and stubs: `<interface>#<function>`, or the function alone at the root. */
export function qualifiedName(iface: string | undefined, fn: string): string {
  return iface ? `${iface}#${fn}` : fn;
}

/** The type as WIT spells it: `list<u8>`, `result<_, string>`, or a typedef's name. */
export function witText(type: WitType, useNames = true): string {
  if (useNames && type.name) return type.name;
  switch (type.kind) {
    case 'list':
      return `list<${witText(type.element)}${type.length === undefined ? '' : `, ${type.length}`}>`;
    case 'option':
      return `option<${witText(type.inner)}>`;
    case 'result':
      if (!type.ok && !type.err) return 'result';
      if (!type.err) return `result<${witText(type.ok!)}>`;
      return `result<${type.ok ? witText(type.ok) : '_'}, ${witText(type.err)}>`;
    case 'tuple':
      return `tuple<${type.items.map((t) => witText(t)).join(', ')}>`;
    case 'record':
      return `record { ${type.fields.map((f) => `${f.name}: ${witText(f.type)}`).join(', ')} }`;
    case 'variant':
      return `variant { ${type.cases.map((c) => (c.type ? `${c.name}(${witText(c.type)})` : c.name)).join(', ')} }`;
    case 'enum':
      return `enum { ${type.cases.join(', ')} }`;
    case 'flags':
      return `flags { ${type.flags.join(', ')} }`;
    case 'own':
      return type.resource;
    case 'borrow':
      return `borrow<${type.resource}>`;
    case 'unsupported':
      return type.text;
    default:
      return type.kind;
  }
}

/** `option<option<T>>`: jco then writes the inner option as `{ tag: 'some', val }` / `{ tag: 'none' }`. */
export function isNestedOption(type: WitType): boolean {
  return type.kind === 'option' && type.inner.kind === 'option';
}

/** Every function a world item offers, with the name forms and stubs use. */
export function itemFunctions(item: WorldItem): Array<{ key: string; iface?: WitInterface; fn: WitFunction }> {
  if (item.kind === 'function') return [{ key: item.fn.name, fn: item.fn }];
  return item.iface.functions.map((fn) => ({ key: qualifiedName(item.iface.name, fn.name), iface: item.iface, fn }));
}

/** `add: func(x: u32, y: u32) -> u32`, as WIT writes it. */
export function signature(fn: WitFunction): string {
  const params = fn.params.map((p) => `${p.name}: ${witText(p.type)}`).join(', ');
  return `${fn.name}: ${fn.async ? 'async ' : ''}func(${params})${fn.result ? ` -> ${witText(fn.result)}` : ''}`;
}
