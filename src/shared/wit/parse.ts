// Reads WIT text, as wit-component's printer writes it for a decoded component, into the type
// model: interfaces with their typedefs, `use`s, resources and functions, and one world. Types
// are resolved through each scope's `use`s, so a form sees `record r1 { a: u8, b: f1 }`, not `r1`.
import { PRIMITIVE_KINDS, type PrimitiveKind, type WitFunction, type WitInterface, type WitType, type WitWorld, type WorldItem } from './model.ts';
import { newScope, Parser, tokenize, WitSyntaxError, type Def, type Expr, type RawFunction, type Scope } from './syntax.ts';

export { WitSyntaxError };

class Resolver {
  constructor(private readonly scopes: Map<string, Scope>) {}

  def(scope: Scope, name: string, seen = 0): { scope: Scope; name: string; def: Exclude<Def, { d: 'use' }> } | undefined {
    const def = scope.defs.get(name);
    if (!def || seen > 64) return undefined;
    if (def.d !== 'use') return { scope, name, def };
    const from = this.scopes.get(def.from);
    return from ? this.def(from, def.name, seen + 1) : undefined;
  }

  type(scope: Scope, expr: Expr): WitType {
    switch (expr.t) {
      case 'ref': {
        if ((PRIMITIVE_KINDS as readonly string[]).includes(expr.name)) return { kind: expr.name as PrimitiveKind };
        const found = this.def(scope, expr.name);
        if (!found) return { kind: 'unsupported', text: expr.name };
        return this.named(found.scope, found.name, found.def);
      }
      case 'list':
        return { kind: 'list', element: this.type(scope, expr.element), ...(expr.length === undefined ? {} : { length: expr.length }) };
      case 'option':
        return { kind: 'option', inner: this.type(scope, expr.inner) };
      case 'result':
        return { kind: 'result', ...(expr.ok ? { ok: this.type(scope, expr.ok) } : {}), ...(expr.err ? { err: this.type(scope, expr.err) } : {}) };
      case 'tuple':
        return { kind: 'tuple', items: expr.items.map((item) => this.type(scope, item)) };
      case 'own':
      case 'borrow':
        return { kind: expr.t, resource: this.def(scope, expr.name)?.name ?? expr.name };
      case 'unsupported':
        return { kind: 'unsupported', text: expr.text };
    }
  }

  named(scope: Scope, name: string, def: Exclude<Def, { d: 'use' }>): WitType {
    switch (def.d) {
      case 'alias':
        return { ...this.type(scope, def.type), name };
      case 'record':
        return { name, kind: 'record', fields: def.fields.map((f) => ({ name: f.name, type: this.type(scope, f.type) })) };
      case 'variant':
        return { name, kind: 'variant', cases: def.cases.map((c) => (c.type ? { name: c.name, type: this.type(scope, c.type) } : { name: c.name })) };
      case 'enum':
        return { name, kind: 'enum', cases: def.cases };
      case 'flags':
        return { name, kind: 'flags', flags: def.flags };
      case 'resource':
        return { name, kind: 'own', resource: name };
    }
  }

  fn(scope: Scope, raw: RawFunction): WitFunction {
    return {
      name: raw.name,
      params: raw.params.map((p) => ({ name: p.name, type: this.type(scope, p.type) })),
      ...(raw.result ? { result: this.type(scope, raw.result) } : {}),
      ...(raw.resource ? { resource: raw.resource } : {}),
      ...(raw.async ? { async: true } : {}),
    };
  }

  iface(scope: Scope, name: string): WitInterface {
    return {
      name,
      key: name.replace(/@.*$/, ''),
      functions: scope.functions.map((raw) => this.fn(scope, raw)),
      resources: scope.resources,
      types: scope.order.map((typeName) => ({ name: typeName, type: this.named(scope, typeName, scope.defs.get(typeName) as Exclude<Def, { d: 'use' }>) })),
    };
  }
}

/**
 * The world of a decoded component. `names` maps interface names as they appear in the text to
 * the names the component really uses (see wit/rename.ts); unmapped names are kept.
 */
export function parseWorld(text: string, names: Readonly<Record<string, string>> = {}): WitWorld {
  const p = new Parser(tokenize(text));
  const scopes = new Map<string, Scope>();
  const world = newScope('world');
  const items: Array<{ direction: 'import' | 'export'; path?: string; inline?: Scope; fn?: RawFunction }> = [];
  let seenWorld = false;
  while (p.peek() !== undefined) {
    p.skipGates();
    const word = p.next();
    if (word === 'package') {
      p.path();
      p.expect(';');
    } else if (word === 'interface') {
      const scope = newScope(p.id());
      p.body(scope);
      scopes.set(scope.name, scope);
    } else if (word === 'world') {
      if (seenWorld) throw new WitSyntaxError('the WIT text has more than one world');
      seenWorld = true;
      p.id();
      p.expect('{');
      while (!p.eat('}')) {
        if (p.item(world)) continue;
        const direction = p.next() as 'import' | 'export' | 'include';
        if (direction === 'include') throw new WitSyntaxError('a decoded world has no include');
        const path = p.path();
        if (p.eat(';')) {
          items.push({ direction, path });
        } else if (p.eat(':') && p.eat('interface')) {
          const inline = newScope(path);
          p.body(inline);
          items.push({ direction, inline });
        } else {
          items.push({ direction, fn: p.func(path) });
        }
      }
    } else {
      throw new WitSyntaxError(`unexpected "${word}" at the top level`);
    }
  }
  if (!seenWorld) throw new WitSyntaxError('the WIT text has no world');
  const resolver = new Resolver(scopes);
  const result: WitWorld = { imports: [], exports: [] };
  for (const item of items) {
    let entry: WorldItem;
    if (item.fn) entry = { kind: 'function', fn: resolver.fn(world, item.fn) };
    else if (item.inline) entry = { kind: 'interface', iface: resolver.iface(item.inline, item.inline.name) };
    else {
      const scope = scopes.get(item.path!) ?? newScope(item.path!);
      entry = { kind: 'interface', iface: resolver.iface(scope, names[item.path!] ?? item.path!) };
    }
    result[item.direction === 'import' ? 'imports' : 'exports'].push(entry);
  }
  return result;
}
