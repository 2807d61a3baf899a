// The platform's own cost of a JSPI suspension, with no component bindings: a guest loop that
// calls a suspending import `n` times, each answered after one message hop (as a host call's
// answer arrives from another thread, but without the other thread).
//
// (module
//   (import "host" "wait" (func $wait))
//   (func (export "run") (param $n i32)
//     (block $done (loop $next
//       (br_if $done (i32.eqz (local.get $n)))
//       (call $wait)
//       (local.set $n (i32.sub (local.get $n) (i32.const 1)))
//       (br $next)))))
const LOOP_WASM = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 2, 96, 0, 0, 96, 1, 127, 0, 2, 13, 1, 4, 104, 111, 115, 116, 4, 119, 97, 105, 116, 0, 0, 3, 2, 1, 1, 7, 7, 1, 3, 114, 117,
  110, 0, 1, 10, 26, 1, 24, 0, 2, 64, 3, 64, 32, 0, 69, 13, 1, 16, 0, 32, 0, 65, 1, 107, 33, 0, 12, 0, 11, 11, 11,
]);

interface Jspi {
  Suspending: new (fn: () => Promise<unknown>) => unknown;
  promising(fn: unknown): (n: number) => Promise<void>;
}

/** A promise settled by a message to this thread itself: one trip through the event loop. */
export function messageHop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(0);
  });
}

/** Per call, in ms: `loop(calls)` less `loop(0)`, `rounds` times after two to warm up. */
export async function perCall(loop: (calls: number) => Promise<number>, calls: number, rounds: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < rounds + 2; i++) {
    const none = await loop(0);
    const some = await loop(calls);
    if (i >= 2) samples.push((some - none) / calls);
  }
  return samples;
}

/** Per call of the suspending import, answered after one message hop. */
export async function jspiPerCall(calls: number, rounds: number): Promise<number[]> {
  const jspi = WebAssembly as unknown as Jspi;
  const imports = { host: { wait: new jspi.Suspending(messageHop) } } as unknown as WebAssembly.Imports;
  const { instance } = await WebAssembly.instantiate(LOOP_WASM, imports);
  const run = jspi.promising(instance.exports.run);
  return perCall(
    async (n) => {
      const began = performance.now();
      await run(n);
      return performance.now() - began;
    },
    calls,
    rounds,
  );
}
