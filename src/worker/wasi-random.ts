// `wasi:random` with a cap on what one call may ask for. The shim fills whatever length the
// guest names, so `get-random-bytes(2^32 - 1)` would allocate and fill 4 GiB in the worker.
import { MAX_RANDOM_BYTES } from '../shared/limits.ts';

type Fill = (len: bigint) => Uint8Array;

export interface RandomShim {
  random: { getRandomBytes: Fill; getRandomU64(): bigint };
  insecure: { getInsecureRandomBytes: Fill; getInsecureRandomU64(): bigint };
}

function capped(name: string, fill: Fill): Fill {
  return (len) => {
    // A u64 arrives as a BigInt; compare before anything is allocated.
    if (BigInt(len) > BigInt(MAX_RANDOM_BYTES)) {
      throw new Error(`${name} was asked for ${len} bytes; a plugin may ask for at most ${MAX_RANDOM_BYTES} bytes (1 MiB) in one call.`);
    }
    return fill(len);
  };
}

/** The `wasi:random/random` and `wasi:random/insecure` import entries, each length checked. */
export function cappedRandom<S extends RandomShim>(shim: S): { random: S['random']; insecure: S['insecure'] } {
  return {
    random: { ...shim.random, getRandomBytes: capped('wasi:random/random get-random-bytes', shim.random.getRandomBytes) },
    insecure: { ...shim.insecure, getInsecureRandomBytes: capped('wasi:random/insecure get-insecure-random-bytes', shim.insecure.getInsecureRandomBytes) },
  };
}
