import { describe, expect, it } from 'vitest';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { capModuleMemories, shareMemoryCap } from '../../src/shared/memory-share.ts';
import { capMemory, headLength, readMemories, WASM_PAGE_BYTES, type CapResult } from '../../src/shared/wasm-memory.ts';

const wat = async (text: string) => new Uint8Array(await parse(text));
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const mod = (...sections: number[][]) => Uint8Array.from([...HEADER, ...sections.flat()]);
const section = (id: number, payload: number[]) => [id, payload.length, ...payload]; // payloads < 128 bytes

const PAGES = 4;
const CAP = PAGES * WASM_PAGE_BYTES;

function capped(result: CapResult<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.bytes;
}

/** Caps `input` and checks the result is exactly what wasm-tools encodes for `expected`. */
async function expectCapsTo(input: string, expected: string, cap = CAP) {
  const result = capMemory(await wat(input), cap);
  const out = capped(result);
  expect(result.ok && result.changed).toBe(true);
  expect(out).toEqual(await wat(expected));
  return out;
}

const GROW = '(func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))';

/** Growth up to the cap works, past it fails both from JS and from inside the guest. */
function expectGrowthStopsAtCap(memory: WebAssembly.Memory, grow: (pages: number) => number) {
  const start = memory.buffer.byteLength / WASM_PAGE_BYTES;
  expect(grow(1)).toBe(start);
  expect(memory.grow(PAGES - start - 1)).toBe(start + 1);
  expect(memory.buffer.byteLength).toBe(CAP);
  expect(grow(1)).toBe(-1);
  expect(() => memory.grow(1)).toThrow(RangeError);
}

describe('capMemory', () => {
  it('adds the cap as the max of a memory without one', async () => {
    const out = await expectCapsTo(`(module (memory (export "mem") 1) ${GROW})`, `(module (memory (export "mem") 1 ${PAGES}) ${GROW})`);
    expect(WebAssembly.validate(out)).toBe(true);
    const {
      instance: { exports },
    } = await WebAssembly.instantiate(out);
    expectGrowthStopsAtCap(exports.mem as WebAssembly.Memory, exports.grow as (n: number) => number);
    expect(readMemories(out)).toEqual([{ kind: 'defined', index: 0, min: 1, max: PAGES, shared: false, memory64: false }]);
  });

  it('lowers a larger max to the cap', async () => {
    const out = await expectCapsTo(`(module (memory (export "mem") 2 1000) ${GROW})`, `(module (memory (export "mem") 2 ${PAGES}) ${GROW})`);
    const {
      instance: { exports },
    } = await WebAssembly.instantiate(out);
    expectGrowthStopsAtCap(exports.mem as WebAssembly.Memory, exports.grow as (n: number) => number);
  });

  it('keeps a smaller max and returns the very same bytes', async () => {
    const input = await wat('(module (memory 1 2) (memory 3 3))');
    const result = capMemory(input, CAP);
    expect(result).toEqual({ ok: true, bytes: input, changed: false, memories: readMemories(input) });
    expect(result.ok && result.bytes).toBe(input);
  });

  it('returns a module without memory unchanged', async () => {
    const input = await wat('(module (func (export "f")))');
    const result = capMemory(input, CAP);
    expect(result.ok && result.bytes).toBe(input);
    expect(result.ok && result.changed).toBe(false);
    expect(result.memories).toEqual([]);
  });

  it('caps an imported memory, so the host must supply one within the cap', async () => {
    const out = await expectCapsTo(
      `(module (import "env" "memory" (memory 1)) (export "mem" (memory 0)) ${GROW})`,
      `(module (import "env" "memory" (memory 1 ${PAGES})) (export "mem" (memory 0)) ${GROW})`,
    );
    expect(readMemories(out)).toEqual([{ kind: 'imported', index: 0, min: 1, max: PAGES, shared: false, memory64: false, module: 'env', name: 'memory' }]);
    const unbounded = new WebAssembly.Memory({ initial: 1 });
    await expect(WebAssembly.instantiate(out, { env: { memory: unbounded } })).rejects.toThrow(WebAssembly.LinkError);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: PAGES });
    const {
      instance: { exports },
    } = await WebAssembly.instantiate(out, { env: { memory } });
    expectGrowthStopsAtCap(memory, exports.grow as (n: number) => number);
  });

  it('leaves func, table, global and tag imports before a memory import untouched', async () => {
    const imports = [
      '(import "a" "f" (func (param i32) (result i64)))',
      '(import "a" "t" (table 3 10 funcref))',
      '(import "a" "t2" (table 1 externref))',
      '(import "a" "g" (global (mut i32)))',
      '(import "a" "r" (global (ref null func)))',
      '(import "a" "e" (tag (param i32)))',
    ].join(' ');
    const out = await expectCapsTo(
      `(module ${imports} (import "a" "m" (memory 1 100)) (import "a" "h" (func)))`,
      `(module ${imports} (import "a" "m" (memory 1 ${PAGES})) (import "a" "h" (func)))`,
    );
    expect(WebAssembly.validate(out)).toBe(true);
    expect(readMemories(out)).toMatchObject([{ kind: 'imported', index: 0, module: 'a', name: 'm', max: PAGES }]);
  });

  it('caps every memory of a multi-memory module, imported ones first', async () => {
    const out = await expectCapsTo(
      '(module (import "env" "m" (memory 1)) (memory 2) (memory 3 1000) (memory 1 2))',
      `(module (import "env" "m" (memory 1 ${PAGES})) (memory 2 ${PAGES}) (memory 3 ${PAGES}) (memory 1 2))`,
    );
    expect(readMemories(out).map(({ kind, index, min, max }) => [kind, index, min, max])).toEqual([
      ['imported', 0, 1, PAGES],
      ['defined', 1, 2, PAGES],
      ['defined', 2, 3, PAGES],
      ['defined', 3, 1, 2],
    ]);
  });

  it('caps a shared memory', async () => {
    const out = await expectCapsTo(`(module (memory (export "mem") 1 1000 shared) ${GROW})`, `(module (memory (export "mem") 1 ${PAGES} shared) ${GROW})`);
    expect(readMemories(out)).toMatchObject([{ shared: true, max: PAGES }]);
    expect(WebAssembly.validate(out)).toBe(true);
    const {
      instance: { exports },
    } = await WebAssembly.instantiate(out);
    const memory = exports.mem as WebAssembly.Memory;
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expectGrowthStopsAtCap(memory, exports.grow as (n: number) => number);
  });

  it('caps memory64 memories with u64 limits', async () => {
    await expectCapsTo('(module (memory i64 1))', `(module (memory i64 1 ${PAGES}))`);
    await expectCapsTo('(module (memory i64 1 0x1000000))', '(module (memory i64 1 0x10000))', 4 * 2 ** 30);
    // A cap above 4 GiB: memory64 takes it as is, a 32-bit memory stops at its own 65536 pages.
    await expectCapsTo('(module (memory i64 1) (memory 1))', '(module (memory i64 1 0x100000) (memory 1 0x10000))', 2 ** 36);
    // A max needing all ten LEB bytes (far past 2^53) is still read and lowered.
    const huge = mod(section(5, [1, 0x05, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expect(readMemories(huge)).toMatchObject([{ memory64: true, min: 1, max: 2 ** 64 }]);
    expect(capped(capMemory(huge, CAP))).toEqual(mod(section(5, [1, 0x05, 0x01, PAGES])));
  });

  it('refuses a memory whose minimum is above the cap, naming both sizes', async () => {
    const input = await wat('(module (memory 1) (memory 640))');
    const result = capMemory(input, 32 * 1024 * 1024);
    expect(result).toEqual({
      ok: false,
      reason: 'memory 1 needs at least 40.0 MiB (640 pages) but the cap is 32.0 MiB (512 pages); raise the memory limit in Settings',
      memories: readMemories(input),
    });
    expect(capMemory(input, 640 * WASM_PAGE_BYTES).ok).toBe(true);
  });

  it('floors the cap to whole pages', async () => {
    const result = capMemory(await wat('(module (memory 1))'), CAP + WASM_PAGE_BYTES - 1);
    expect(result.memories).toMatchObject([{ max: PAGES }]);
    expect(capMemory(await wat('(module (memory 1))'), WASM_PAGE_BYTES - 1).ok).toBe(false);
    const empty = await wat('(module)');
    expect(() => capMemory(empty, Number.NaN)).toThrow(RangeError);
  });

  it('preserves all other sections and custom sections around the memory section', async () => {
    const body = (max: string) => `
      (@custom "first" (before first) "1")
      (type $t (func (result i32)))
      (import "env" "log" (func $log (param i32)))
      (@custom "mid" (after import) "2")
      (func $get (type $t) (i32.load (i32.const 8)))
      (table 1 funcref)
      (memory $m 1 ${max})
      (@custom "after-memory" (after memory) "3")
      (global $g (mut i32) (i32.const 7))
      (export "get" (func $get))
      (export "mem" (memory $m))
      (elem (i32.const 0) $get)
      (data (i32.const 8) "\\2a\\00\\00\\00")
      (@custom "last" (after last) "4")`;
    const out = await expectCapsTo(`(module ${body('1000')})`, `(module ${body(String(PAGES))})`);
    expect(WebAssembly.validate(out)).toBe(true);
    const {
      instance: { exports },
    } = await WebAssembly.instantiate(out, { env: { log: () => {} } });
    expect((exports.get as () => number)()).toBe(42);
    expect(() => (exports.mem as WebAssembly.Memory).grow(PAGES)).toThrow(RangeError);
  });

  it('re-encodes a section size whose LEB128 grows by a byte', async () => {
    // 120-byte module name: the import section payload is 127 bytes (one LEB byte) before, 128 after.
    const longName = 'x'.repeat(120);
    const input = await wat(`(module (import "${longName}" "m" (memory 1)))`);
    expect([...input.subarray(8, 10)]).toEqual([2, 127]);
    const out = await expectCapsTo(`(module (import "${longName}" "m" (memory 1)))`, `(module (import "${longName}" "m" (memory 1 ${PAGES})))`);
    expect([...out.subarray(8, 11)]).toEqual([2, 0x80, 0x01]);
    expect(out.length).toBe(input.length + 2);
    expect(WebAssembly.validate(out)).toBe(true);
  });

  it('keeps the original (padded) min encoding and rewrites only flags and max', () => {
    const input = mod(section(5, [1, 0x00, 0x81, 0x80, 0x00]));
    expect(readMemories(input)).toMatchObject([{ min: 1 }]);
    expect(capped(capMemory(input, CAP))).toEqual(mod(section(5, [1, 0x01, 0x81, 0x80, 0x00, PAGES])));
  });
});

describe('malformed input', () => {
  it('throws on truncated modules', async () => {
    const input = await wat('(module (import "env" "m" (memory 1)) (memory 2 3) (func))');
    // A cut exactly between sections is itself a well-formed (shorter) module.
    const boundaries = new Set<number>();
    for (let pos = 8; pos < input.length; pos += 2 + input[pos + 1]!) boundaries.add(pos);
    expect(boundaries.size).toBe(5); // type, import, function, memory, code
    for (let cut = 1; cut < input.length; cut++) {
      const prefix = input.subarray(0, cut);
      if (boundaries.has(cut)) expect(() => capMemory(prefix, CAP), `cut at ${cut}`).not.toThrow();
      else expect(() => capMemory(prefix, CAP), `cut at ${cut}`).toThrow(Error);
    }
    expect(() => readMemories(input.subarray(0, input.length - 1))).toThrow(/runs past the end/);
  });

  it('throws on a truncated LEB128 inside a section', () => {
    expect(() => readMemories(mod(section(5, [1, 0x00, 0x80, 0x80])))).toThrow(/unexpected end of data/);
    expect(() => readMemories(mod([5, 0x80]))).toThrow(/unexpected end of data/);
    expect(() => readMemories(mod(section(5, [1, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])))).toThrow(/too long/);
  });

  it('throws on a bad header, a component or trailing bytes in a section', () => {
    expect(() => readMemories(new Uint8Array())).toThrow(/not a WebAssembly module/);
    expect(() => readMemories(Uint8Array.from([0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0]))).toThrow(/not a WebAssembly module/);
    expect(() => readMemories(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]))).toThrow(/not a core WebAssembly module/);
    expect(() => readMemories(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0]))).toThrow(/version 2/);
    expect(() => readMemories(mod(section(5, [1, 0x00, 0x01, 0x00])))).toThrow(/trailing bytes/);
    expect(() => readMemories(mod(section(2, [1, 1, 0x61, 1, 0x62, 0x09])))).toThrow(/unknown import kind 0x9/);
    expect(() => readMemories(mod(section(5, [1, 0x08, 0x01, 0x10])))).toThrow(/unsupported limits flags 0x8/);
  });
});

describe('the head of a module (the sections before its code)', () => {
  const MODULE = `(module (import "env" "log" (func (param i32))) (memory (export "mem") 2) (data (i32.const 0) "hi") ${GROW})`;

  it('ends where the code section begins, or covers a module without code whole', async () => {
    const bytes = await wat(MODULE);
    const head = headLength(bytes);
    expect(bytes[head]).toBe(10);
    expect(head).toBeLessThan(bytes.length);
    const noCode = await wat('(module (memory 1) (data (i32.const 0) "x"))');
    expect(headLength(noCode)).toBe(noCode.length);
    expect(() => headLength(bytes.subarray(0, head - 1))).toThrow(/runs past the end/);
  });

  it('capped alone and joined to the rest, gives the bytes of the whole module capped', async () => {
    const bytes = await wat(MODULE);
    const head = headLength(bytes);
    const cappedHead = capModuleMemories({ 'm.wasm': bytes.subarray(0, head) }, CAP)['m.wasm'] as BlobPart;
    const rest = bytes.subarray(head);
    const joined = new Uint8Array(await new Blob([cappedHead, rest]).arrayBuffer());
    expect(joined).toEqual(capModuleMemories({ 'm.wasm': bytes }, CAP)['m.wasm']);
    expect(readMemories(joined)).toEqual([expect.objectContaining({ kind: 'defined', min: 2, max: PAGES })]);
    // Streamed into the compiler as a page start does, the module grows to the cap and no further.
    const module = await WebAssembly.compileStreaming(new Response(new Blob([cappedHead, rest]), { headers: { 'content-type': 'application/wasm' } }));
    const { exports } = await WebAssembly.instantiate(module, { env: { log: () => {} } });
    expectGrowthStopsAtCap(exports.mem as WebAssembly.Memory, exports.grow as (n: number) => number);
  });
});

describe('capModuleMemories', () => {
  it('caps every core module of a transpiled component, passes other files through, and names a module that cannot fit', async () => {
    const js = new TextEncoder().encode('export {}');
    const files = { 'plugin.js': js, 'plugin.core.wasm': await wat('(module (memory 1))') };
    const out = capModuleMemories(files, CAP);
    expect(out['plugin.js']).toBe(js);
    expect(readMemories(out['plugin.core.wasm']!)).toEqual([expect.objectContaining({ min: 1, max: PAGES })]);
    const tooBig = await wat('(module (memory 8))');
    expect(() => capModuleMemories({ ...files, 'plugin.core2.wasm': tooBig }, CAP)).toThrow(/^plugin\.core2\.wasm: /);
  });
});

describe('the cap shared by all of a plugin’s memories', () => {
  it('gives each memory its minimum and the rest in proportion to the minimums, adding up to the cap at most', () => {
    const shares = shareMemoryCap(
      [
        { min: 22, max: 65536 },
        { min: 0, max: 65536 },
      ],
      512,
    )!;
    expect(shares).toEqual([22 + Math.floor((490 * 22) / 23), Math.floor(490 / 23)]);
    expect(shares[0]! + shares[1]!).toBeLessThanOrEqual(512);
  });

  it('leaves a memory its own smaller maximum and shares the rest among the others', () => {
    expect(
      shareMemoryCap(
        [
          { min: 1, max: 2 },
          { min: 1, max: 65536 },
          { min: 1, max: 65536 },
        ],
        100,
      ),
    ).toEqual([2, 49, 49]);
  });

  it('refuses minimums that add up to more than the cap', () => {
    expect(
      shareMemoryCap(
        [
          { min: 3, max: 10 },
          { min: 2, max: 10 },
        ],
        4,
      ),
    ).toBeUndefined();
  });

  it('two modules of one component cannot each take the whole cap: they grow to the cap together', async () => {
    const files = {
      'a.core.wasm': await wat(`(module (memory (export "memory") 1) ${GROW})`),
      'b.core.wasm': await wat(`(module (memory (export "memory") 1) ${GROW})`),
    };
    const out = capModuleMemories(files, CAP);
    const grown = await Promise.all(
      Object.values(out).map(async (bytes) => {
        const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes as BufferSource));
        const exports = instance.exports as { memory: WebAssembly.Memory; grow(n: number): number };
        while (exports.grow(1) !== -1);
        return exports.memory.buffer.byteLength;
      }),
    );
    expect(grown.reduce((sum, bytes) => sum + bytes, 0)).toBe(CAP);
  });

  it('an imported memory is capped at the whole cap, so the memory it names always fits', async () => {
    const files = {
      'main.core.wasm': await wat('(module (memory (export "memory") 1))'),
      'user.core.wasm': await wat('(module (import "main" "memory" (memory 1)))'),
    };
    const out = capModuleMemories(files, CAP);
    expect(readMemories(out['user.core.wasm']!)).toEqual([expect.objectContaining({ kind: 'imported', max: PAGES })]);
    expect(readMemories(out['main.core.wasm']!)).toEqual([expect.objectContaining({ kind: 'defined', max: PAGES })]);
  });

  it('says both sums when the memories together need more than the cap', async () => {
    const files = { 'a.core.wasm': await wat('(module (memory 3))'), 'b.core.wasm': await wat('(module (memory 2))') };
    expect(() => capModuleMemories(files, CAP)).toThrow('its 2 memories need at least 0.3 MiB (5 pages) together but the cap is 0.3 MiB (4 pages)');
  });
});
