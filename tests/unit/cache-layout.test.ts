import { describe, expect, it } from 'vitest';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { joined, parts, scriptsOf, split, SCRIPT_TYPE, whole, type CoreModule } from '../../src/host/cache-layout.ts';
import type { TranspileCacheEntry } from '../../src/host/db.ts';
import { headLength } from '../../src/shared/wasm-memory.ts';

const wat = async (text: string) => new Uint8Array(await parse(text));
const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

/** Byte for byte (toEqual walks a 600 KiB array one element at a time). */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

function expectWhole(module: CoreModule, bytes: Uint8Array) {
  expect(module.rest).toBeUndefined();
  expect(same(module.head, bytes)).toBe(true);
}

function expectSameFiles(files: Record<string, Uint8Array>, expected: Record<string, Uint8Array>) {
  expect(Object.keys(files).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, bytes] of Object.entries(expected)) expect(same(files[name]!, bytes), name).toBe(true);
}

/** A module big enough to be streamed: 600 KiB of a custom section after its code. */
async function big(): Promise<Uint8Array> {
  const module = await wat('(module (memory 1) (func (export "f") (result i32) (i32.const 7)))');
  const size = 600 * 1024;
  const payload = [3, ...new TextEncoder().encode('pad')];
  const length = payload.length + size;
  const uleb = [(length & 0x7f) | 0x80, ((length >> 7) & 0x7f) | 0x80, length >> 14];
  const out = new Uint8Array(module.length + 1 + uleb.length + length);
  out.set(module);
  out.set([0, ...uleb, ...payload], module.length);
  return out;
}

async function entry(): Promise<TranspileCacheEntry> {
  return {
    key: 'sha|jco|options|fuel',
    sha256: 'sha',
    transpiled: {
      files: {
        'plugin.js': new TextEncoder().encode('export const instantiate = () => {};'),
        'plugin.core.wasm': await big(),
        'plugin.core3.wasm': await wat('(module (memory 1) (func (export "f") (result i32) (i32.const 7)))'),
        'plugin.core2.wasm': await wat('(module (memory 1))'),
        'plugin.d.json': new TextEncoder().encode('{}'),
      },
      imports: [],
      exports: [],
    },
    wit: 'package a:b;',
    transpileMs: 1,
    createdAt: 0,
  };
}

describe('the transpile cache layout', () => {
  it('stores the JavaScript apart as a script and reads back only the heads of the core modules, and whole gives every byte back', async () => {
    const original = await entry();
    const [stored, part] = split(original);
    expect(Object.keys(stored.transpiled.files)).toEqual(['plugin.d.json']);
    expect(stored.apart).toEqual(['plugin.js']);
    expect(part!.files['plugin.js']).toBeInstanceOf(Blob);

    const read = await joined(stored, scriptsOf(part!));
    expect(read.cached).toBe(true);
    expect(read.scripts['plugin.js']!.type).toBe(SCRIPT_TYPE);
    const withCode = read.modules['plugin.core.wasm']!;
    expect(withCode.head.length).toBe(headLength(original.transpiled.files['plugin.core.wasm']!));
    expect(withCode.rest!.size).toBe(original.transpiled.files['plugin.core.wasm']!.length - withCode.head.length);
    // A small module is read whole, and so is one without code.
    expectWhole(read.modules['plugin.core3.wasm']!, original.transpiled.files['plugin.core3.wasm']!);
    expectWhole(read.modules['plugin.core2.wasm']!, original.transpiled.files['plugin.core2.wasm']!);

    const back = await whole(read);
    expectSameFiles(back.transpiled.files, original.transpiled.files);
    expect(back.apart).toBeUndefined();
    expect(back.blobs).toBeUndefined();
  });

  it('reads a module whole when the head length stored with it does not end where its code begins', async () => {
    const original = await entry();
    const [stored, part] = split(original);
    for (const wrong of [8, 9, 1, original.transpiled.files['plugin.core.wasm']!.length + 5]) {
      const read = await joined({ ...stored, heads: { 'plugin.core.wasm': wrong } }, scriptsOf(part!));
      expectWhole(read.modules['plugin.core.wasm']!, original.transpiled.files['plugin.core.wasm']!);
    }
  });

  it('takes an entry stored whole and a part holding bytes, as earlier versions stored them', async () => {
    const original = await entry();
    const old = await joined(original);
    expect(Object.keys(old.scripts)).toEqual(['plugin.js']);
    expect(await bytesOf(old.scripts['plugin.js']!)).toEqual(original.transpiled.files['plugin.js']);
    expectWhole(old.modules['plugin.core.wasm']!, original.transpiled.files['plugin.core.wasm']!);
    expect(old.entry.transpiled.files).toEqual({ 'plugin.d.json': original.transpiled.files['plugin.d.json'] });

    const scripts = scriptsOf({ key: 'k|js', sha256: 'sha', files: { 'plugin.js': original.transpiled.files['plugin.js']! } });
    expect(scripts['plugin.js']!.type).toBe(SCRIPT_TYPE);
    expect(await bytesOf(scripts['plugin.js']!)).toEqual(original.transpiled.files['plugin.js']);
  });

  it('hands a fresh entry on in the same parts, its modules whole', async () => {
    const original = await entry();
    const fresh = parts(original);
    expect(fresh.cached).toBe(false);
    expectWhole(fresh.modules['plugin.core.wasm']!, original.transpiled.files['plugin.core.wasm']!);
    expectSameFiles((await whole(fresh)).transpiled.files, original.transpiled.files);
  });
});

describe('a stored Blob that can no longer be read', () => {
  /** A Blob whose file is gone from the profile: reading it fails, as Chromium's does. */
  class Gone extends Blob {
    constructor() {
      super(['x'], { type: SCRIPT_TYPE });
    }
    override slice(): Blob {
      return new Gone();
    }
    override arrayBuffer(): Promise<ArrayBuffer> {
      return Promise.reject(new DOMException('the file is gone', 'NotReadableError'));
    }
  }

  it('makes the read fail, a script as much as a module, so the entry is made again', async () => {
    const [stored, part] = split(await entry());
    await expect(joined(stored, scriptsOf({ ...part!, files: { 'plugin.js': new Gone() } }))).rejects.toThrow('the file is gone');
    await expect(joined({ ...stored, blobs: { ...stored.blobs, 'plugin.core2.wasm': new Gone() } }, scriptsOf(part!))).rejects.toThrow('the file is gone');
    await expect(joined(stored, scriptsOf(part!))).resolves.toBeDefined();
  });
});
