// The syntax half of reading WIT: tokens, and a parser that fills one scope per interface or
// world with its typedefs, `use`s, resources and functions, unresolved. parse.ts resolves them.
import type { WitFunction } from './model.ts';

export type Expr =
  | { t: 'ref'; name: string }
  | { t: 'list'; element: Expr; length?: number }
  | { t: 'option'; inner: Expr }
  | { t: 'result'; ok?: Expr; err?: Expr }
  | { t: 'tuple'; items: Expr[] }
  | { t: 'own' | 'borrow'; name: string }
  | { t: 'unsupported'; text: string };

export type Def =
  | { d: 'alias'; type: Expr }
  | { d: 'record'; fields: Array<{ name: string; type: Expr }> }
  | { d: 'variant'; cases: Array<{ name: string; type?: Expr }> }
  | { d: 'enum'; cases: string[] }
  | { d: 'flags'; flags: string[] }
  | { d: 'resource' }
  | { d: 'use'; from: string; name: string };

export interface RawFunction {
  name: string;
  params: Array<{ name: string; type: Expr }>;
  result?: Expr;
  resource?: WitFunction['resource'];
  async?: boolean;
}

export interface Scope {
  name: string;
  defs: Map<string, Def>;
  order: string[];
  functions: RawFunction[];
  resources: string[];
}

export class WitSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WitSyntaxError';
  }
}

const TOKEN = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|(->|%?[A-Za-z0-9][A-Za-z0-9-]*|[{}()<>,;:=./@*+_-])/y;

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new WitSyntaxError(`unexpected character ${JSON.stringify(text[at])} at offset ${at}`);
    if (match[1]) tokens.push(match[1]);
  }
  return tokens;
}

const unescape = (id: string) => id.replace(/^%/, '');

export class Parser {
  private pos = 0;
  constructor(private readonly tokens: string[]) {}

  peek(offset = 0): string | undefined {
    return this.tokens[this.pos + offset];
  }

  next(): string {
    const token = this.tokens[this.pos++];
    if (token === undefined) throw new WitSyntaxError('unexpected end of the WIT text');
    return token;
  }

  eat(token: string): boolean {
    if (this.peek() !== token) return false;
    this.pos++;
    return true;
  }

  expect(token: string): void {
    const got = this.next();
    if (got !== token) throw new WitSyntaxError(`expected "${token}" but found "${got}"`);
  }

  id(): string {
    const token = this.next();
    if (!/^%?[A-Za-z]/.test(token)) throw new WitSyntaxError(`expected a name but found "${token}"`);
    return unescape(token);
  }

  /** `name`, `ns:pkg`, `ns:pkg/name` or `ns:pkg/name@1.2.3`; a version ends before `.{` or `;`. */
  path(): string {
    let path = this.id();
    // `name: func(...)` and `name: interface {` follow a plain name; `ns:pkg` is a package.
    if (this.peek() === ':' && !['func', 'async', 'interface', 'static'].includes(this.peek(1) ?? '')) {
      this.pos++;
      path += `:${this.id()}`;
    }
    if (this.eat('/')) path += `/${this.id()}`;
    if (this.eat('@')) {
      path += '@';
      while (this.peek() !== ';' && !(this.peek() === '.' && this.peek(1) === '{')) path += this.next();
    }
    return path;
  }

  /** `@since(version = 1.0.0)`, `@unstable(feature = x)`, `@deprecated(...)`: feature gates, skipped. */
  skipGates(): void {
    while (this.peek() === '@') {
      this.pos++;
      this.id();
      if (this.eat('(')) while (this.next() !== ')');
    }
  }

  type(): Expr {
    const name = this.id();
    const args = (): Expr[] => {
      const items: Expr[] = [];
      if (!this.eat('<')) return items;
      do items.push(this.eat('_') ? { t: 'ref', name: '_' } : this.type());
      while (this.eat(','));
      this.expect('>');
      return items;
    };
    switch (name) {
      case 'list': {
        this.expect('<');
        const element = this.type();
        const length = this.eat(',') ? Number(this.next()) : undefined;
        this.expect('>');
        return { t: 'list', element, length };
      }
      case 'option':
        return { t: 'option', inner: args()[0]! };
      case 'result': {
        const [ok, err] = args();
        return { t: 'result', ok: ok && !(ok.t === 'ref' && ok.name === '_') ? ok : undefined, err };
      }
      case 'tuple':
        return { t: 'tuple', items: args() };
      case 'borrow':
      case 'own': {
        this.expect('<');
        const resource = this.id();
        this.expect('>');
        return { t: name, name: resource };
      }
      case 'future':
      case 'stream':
      case 'error-context':
        return { t: 'unsupported', text: args().length ? `${name}<…>` : name };
      default:
        return { t: 'ref', name };
    }
  }

  params(): RawFunction['params'] {
    const params: RawFunction['params'] = [];
    this.expect('(');
    while (!this.eat(')')) {
      const name = this.id();
      this.expect(':');
      params.push({ name, type: this.type() });
      if (!this.eat(',')) {
        this.expect(')');
        break;
      }
    }
    return params;
  }

  /** After `name:`: `[async] func(...) [-> T];` */
  func(name: string, resource?: WitFunction['resource']): RawFunction {
    const isAsync = this.eat('async');
    this.expect('func');
    const params = this.params();
    const result = this.eat('->') ? this.type() : undefined;
    this.expect(';');
    return { name, params, result, resource, async: isAsync || undefined };
  }

  /** `{ a, b, }` of names, or of `name: T` / `name(T)` entries through `entry`. */
  list<T>(entry: () => T): T[] {
    const items: T[] = [];
    this.expect('{');
    while (!this.eat('}')) {
      this.skipGates();
      items.push(entry());
      if (!this.eat(',')) {
        this.expect('}');
        break;
      }
    }
    return items;
  }

  resource(scope: Scope, name: string): void {
    scope.defs.set(name, { d: 'resource' });
    scope.order.push(name);
    scope.resources.push(name);
    if (this.eat(';')) return;
    this.expect('{');
    while (!this.eat('}')) {
      this.skipGates();
      if (this.eat('constructor')) {
        const params = this.params();
        const result = this.eat('->') ? this.type() : undefined;
        this.expect(';');
        scope.functions.push({ name: `[constructor]${name}`, params, result: result ?? { t: 'own', name }, resource: { name, role: 'constructor' } });
        continue;
      }
      const fn = this.id();
      this.expect(':');
      const role = this.eat('static') ? 'static' : 'method';
      const raw = this.func(`[${role}]${name}.${fn}`, { name, role });
      if (role === 'method') raw.params.unshift({ name: 'self', type: { t: 'borrow', name } });
      scope.functions.push(raw);
    }
  }

  /** One item of an interface or world body; returns false at a world's import/export, left to the caller. */
  item(scope: Scope): boolean {
    this.skipGates();
    const word = this.peek();
    if (word === 'import' || word === 'export' || word === 'include') return false;
    this.pos++;
    const define = (name: string, def: Def) => {
      scope.defs.set(name, def);
      scope.order.push(name);
    };
    switch (word) {
      case 'use': {
        const from = this.path();
        this.expect('.');
        for (const { name, as } of this.list(() => ({ name: this.id(), as: this.eat('as') ? this.id() : undefined }))) {
          scope.defs.set(as ?? name, { d: 'use', from, name });
        }
        this.expect(';');
        return true;
      }
      case 'type': {
        const name = this.id();
        this.expect('=');
        define(name, { d: 'alias', type: this.type() });
        this.expect(';');
        return true;
      }
      case 'record': {
        const name = this.id();
        define(name, { d: 'record', fields: this.list(() => ({ name: this.id(), type: (this.expect(':'), this.type()) })) });
        return true;
      }
      case 'variant': {
        const name = this.id();
        const cases = this.list(() => {
          const caseName = this.id();
          if (!this.eat('(')) return { name: caseName };
          const type = this.type();
          this.expect(')');
          return { name: caseName, type };
        });
        define(name, { d: 'variant', cases });
        return true;
      }
      case 'enum': {
        const name = this.id();
        define(name, { d: 'enum', cases: this.list(() => this.id()) });
        return true;
      }
      case 'flags': {
        const name = this.id();
        define(name, { d: 'flags', flags: this.list(() => this.id()) });
        return true;
      }
      case 'resource':
        this.resource(scope, this.id());
        return true;
      default: {
        if (!word || !/^%?[A-Za-z]/.test(word)) throw new WitSyntaxError(`unexpected "${word ?? 'end of text'}" in ${scope.name}`);
        this.expect(':');
        scope.functions.push(this.func(unescape(word)));
        return true;
      }
    }
  }

  body(scope: Scope): void {
    this.expect('{');
    while (!this.eat('}')) {
      if (!this.item(scope)) throw new WitSyntaxError(`"${this.peek()}" is not allowed inside interface ${scope.name}`);
    }
  }
}

export const newScope = (name: string): Scope => ({ name, defs: new Map(), order: [], functions: [], resources: [] });
