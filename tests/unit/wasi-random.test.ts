import { describe, expect, it } from 'vitest';
import { MAX_RANDOM_BYTES } from '../../src/shared/limits.ts';
import { cappedRandom } from '../../src/worker/wasi-random.ts';

// Stands in for the browser shim: fills what it is asked for, and counts the calls.
function shim() {
  const asked: bigint[] = [];
  const fill = (len: bigint) => {
    asked.push(len);
    return new Uint8Array(Number(len));
  };
  return { asked, random: { getRandomBytes: fill, getRandomU64: () => 7n }, insecure: { getInsecureRandomBytes: fill, getInsecureRandomU64: () => 9n } };
}

describe('wasi:random lengths', () => {
  it.each([
    ['a seed', 16n],
    ['nothing', 0n],
    ['exactly 1 MiB', BigInt(MAX_RANDOM_BYTES)],
  ])('gives %s', (_, len) => {
    const source = shim();
    const { random, insecure } = cappedRandom(source);
    expect(random.getRandomBytes(len)).toHaveLength(Number(len));
    expect(insecure.getInsecureRandomBytes(len)).toHaveLength(Number(len));
  });

  it.each([
    ['one byte past 1 MiB', BigInt(MAX_RANDOM_BYTES) + 1n],
    ['4 GiB', 2n ** 32n - 1n],
    ['the largest u64', 2n ** 64n - 1n],
  ])('refuses %s before anything is filled', (_, len) => {
    const source = shim();
    const { random, insecure } = cappedRandom(source);
    expect(() => random.getRandomBytes(len)).toThrow(
      `wasi:random/random get-random-bytes was asked for ${len} bytes; a plugin may ask for at most 1048576 bytes (1 MiB) in one call.`,
    );
    expect(() => insecure.getInsecureRandomBytes(len)).toThrow(`wasi:random/insecure get-insecure-random-bytes was asked for ${len} bytes`);
    expect(source.asked).toEqual([]);
  });

  it('keeps the rest of each interface', () => {
    const { random, insecure } = cappedRandom(shim());
    expect([random.getRandomU64(), insecure.getInsecureRandomU64()]).toEqual([7n, 9n]);
  });
});
