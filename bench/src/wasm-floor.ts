// The floor for starting a plugin: compile every core module of a transpiled component and
// instantiate each one, with inert stand-ins for its imports. No worker, no bindings, no
// linking: what the platform itself must do before any of our code can run.

type ImportDesc =
  | { module: string; name: string; kind: 'function' | 'tag' }
  | { module: string; name: string; kind: 'table'; element: 'anyfunc' | 'externref'; min: number; max?: number }
  | { module: string; name: string; kind: 'memory'; min: number; max?: number; shared: boolean }
  | { module: string; name: string; kind: 'global'; value: string; mutable: boolean };

class Reader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  byte(): number {
    return this.bytes[this.at++]!;
  }
  /** An unsigned LEB128 (u32 or u64; memory64 limits above 2^53 do not occur here). */
  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
  }
  name(): string {
    const length = this.uleb();
    const text = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
    return text;
  }
  limits(): { min: number; max?: number; flags: number } {
    const flags = this.byte();
    const min = this.uleb();
    return { flags, min, max: flags & 1 ? this.uleb() : undefined };
  }
}

const VALUE_TYPES: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x70: 'anyfunc', 0x6f: 'externref' };

/** The imports of a core module, and the smallest size of each table it defines. */
export function readModule(bytes: Uint8Array): { imports: ImportDesc[]; tables: number[] } {
  const r = new Reader(bytes);
  const imports: ImportDesc[] = [];
  const tables: number[] = [];
  r.at = 8;
  while (r.at < bytes.length) {
    const id = r.byte();
    const size = r.uleb();
    const end = r.at + size;
    if (id === 4) {
      for (let count = r.uleb(); count > 0; count--) {
        r.byte();
        tables.push(r.limits().min);
      }
    }
    if (id !== 2) {
      r.at = end;
      continue;
    }
    for (let count = r.uleb(); count > 0; count--) {
      const module = r.name();
      const name = r.name();
      const kind = r.byte();
      if (kind === 0) {
        r.uleb();
        imports.push({ module, name, kind: 'function' });
      } else if (kind === 1) {
        const element = r.byte() === 0x6f ? 'externref' : 'anyfunc';
        imports.push({ module, name, kind: 'table', element, ...r.limits() });
      } else if (kind === 2) {
        const { flags, min, max } = r.limits();
        imports.push({ module, name, kind: 'memory', min, max, shared: (flags & 2) !== 0 });
      } else if (kind === 3) {
        const value = VALUE_TYPES[r.byte()] ?? 'i32';
        imports.push({ module, name, kind: 'global', value, mutable: r.byte() === 1 });
      } else {
        r.byte();
        r.uleb();
        imports.push({ module, name, kind: 'tag' });
      }
    }
  }
  return { imports, tables };
}

/**
 * An inert import. An imported table may be declared smaller than the table it is linked to
 * (shared-everything linking fills one module's table from another's element segments), so a
 * stand-in table is as large as the largest table the component's modules define.
 */
function standIn(desc: ImportDesc, linkedTableSize: number): unknown {
  switch (desc.kind) {
    case 'function':
    case 'tag':
      return () => {};
    case 'table': {
      const initial = Math.min(Math.max(desc.min, linkedTableSize), desc.max ?? Infinity);
      return new WebAssembly.Table({ element: desc.element, initial, maximum: desc.max } as WebAssembly.TableDescriptor);
    }
    case 'memory':
      return new WebAssembly.Memory({ initial: desc.min, maximum: desc.max ?? (desc.shared ? desc.min : undefined), shared: desc.shared });
    case 'global':
      return new WebAssembly.Global(
        { value: desc.value, mutable: desc.mutable } as WebAssembly.GlobalDescriptor,
        desc.value === 'i64' ? 0n : desc.value.endsWith('ref') || desc.value === 'anyfunc' ? null : 0,
      );
  }
}

/** Reads every module's imports up front; the returned run compiles and instantiates them all. */
export function prepareFloor(files: Record<string, Uint8Array>): () => Promise<void> {
  const modules = Object.entries(files)
    .filter(([name]) => name.endsWith('.wasm'))
    .map(([, bytes]) => ({ bytes, ...readModule(bytes) }));
  const linkedTableSize = Math.max(0, ...modules.flatMap((m) => m.tables));
  return async () => {
    const imports = modules.map(({ imports: descs }) => {
      const object: Record<string, Record<string, unknown>> = {};
      for (const desc of descs) (object[desc.module] ??= {})[desc.name] = standIn(desc, linkedTableSize);
      return object;
    });
    const compiled = await Promise.all(modules.map(({ bytes }) => WebAssembly.compile(bytes as BufferSource)));
    for (const [i, module] of compiled.entries()) await WebAssembly.instantiate(module, imports[i]! as WebAssembly.Imports);
  };
}
