import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyWasm, kindProblem, sizeProblem } from '../../src/shared/wasm-file.ts';

const shared = new URL('../../../shared/reference/', import.meta.url);

describe('classifyWasm', () => {
  it.each([
    ['empty', new Uint8Array(), 'empty'],
    ['text', new TextEncoder().encode('hello world, not wasm'), 'not-wasm'],
    ['magic only', new Uint8Array([0, 0x61, 0x73, 0x6d]), 'not-wasm'],
    ['core module header', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), 'core-module'],
    ['component header', new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]), 'component'],
    ['unknown layer', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 7, 0]), 'unknown-layer'],
  ] as const)('%s', (_label, bytes, kind) => {
    expect(classifyWasm(bytes)).toBe(kind);
  });

  it('recognises the reference files for what they are', () => {
    expect(classifyWasm(readFileSync(new URL('components/adder.component.wasm', shared)))).toBe('component');
    expect(classifyWasm(readFileSync(new URL('extism/code.wasm', shared)))).toBe('core-module');
  });
});

describe('messages', () => {
  it('tell how to turn a core module into a component', () => {
    expect(kindProblem('code.wasm', 'core-module')).toContain('`jco new code.wasm --wasi-reactor -o plugin.component.wasm`');
  });

  it('say nothing for a component', () => {
    expect(kindProblem('x.wasm', 'component')).toBeUndefined();
  });

  it('give the size and the limit, and what to do', () => {
    expect(sizeProblem('big.wasm', 60 * 1024 * 1024, 50 * 1024 * 1024)).toBe(
      '"big.wasm" is 60.0 MiB, over the 50.0 MiB limit for a plugin. Build it in release mode and strip debug info, or raise the limit in Settings.',
    );
    expect(sizeProblem('ok.wasm', 50 * 1024 * 1024, 50 * 1024 * 1024)).toBeUndefined();
  });
});
