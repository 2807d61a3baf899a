// The WASI imports a plugin gets: enough for the JS engines' runtimes to start, and nothing
// that reaches outside the worker. Output streams go to the host trace; the filesystem has no
// preopened directories; outgoing wasi:http is refused (plugins use the host's http-get);
// random bytes come at most MAX_RANDOM_BYTES per call.
import { createCli } from '@bytecodealliance/preview2-shim/cli';
import * as clocks from '@bytecodealliance/preview2-shim/clocks';
import * as filesystem from '@bytecodealliance/preview2-shim/filesystem';
import * as http from '@bytecodealliance/preview2-shim/http';
import * as io from '@bytecodealliance/preview2-shim/io';
import * as random from '@bytecodealliance/preview2-shim/random';
import type { WasiInterface } from '../shared/contract.ts';
import type { GuestOutput } from '../shared/protocol.ts';
import { cappedRandom } from './wasi-random.ts';

function lineStream(stream: 'stdout' | 'stderr', emit: (out: GuestOutput) => void) {
  const decoder = new TextDecoder();
  let pending = '';
  const flush = () => {
    pending += decoder.decode();
    if (pending) emit({ stream, text: pending });
    pending = '';
  };
  return {
    write(contents: Uint8Array) {
      pending += decoder.decode(contents, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) emit({ stream, text: line.replace(/\r$/, '') });
    },
    flush,
    blockingFlush: flush,
    drop: flush,
  };
}

/** Import-object entries keyed as jco's instantiation expects (`wasi:cli/stdout`, unversioned). */
export function wasiImports(emit: (out: GuestOutput) => void): Record<WasiInterface, unknown> {
  const cli = createCli({ stdout: lineStream('stdout', emit), stderr: lineStream('stderr', emit) });
  const capped = cappedRandom(random);
  return {
    'wasi:cli/environment': cli.environment,
    'wasi:cli/exit': cli.exit,
    'wasi:cli/stdin': cli.stdin,
    'wasi:cli/stdout': cli.stdout,
    'wasi:cli/stderr': cli.stderr,
    'wasi:cli/terminal-input': cli.terminalInput,
    'wasi:cli/terminal-output': cli.terminalOutput,
    'wasi:cli/terminal-stdin': cli.terminalStdin,
    'wasi:cli/terminal-stdout': cli.terminalStdout,
    'wasi:cli/terminal-stderr': cli.terminalStderr,
    'wasi:clocks/monotonic-clock': clocks.monotonicClock,
    'wasi:clocks/wall-clock': clocks.wallClock,
    'wasi:io/error': io.error,
    'wasi:io/poll': io.poll,
    'wasi:io/streams': io.streams,
    'wasi:random/random': capped.random,
    'wasi:random/insecure': capped.insecure,
    'wasi:random/insecure-seed': random.insecureSeed,
    'wasi:filesystem/types': filesystem.types,
    'wasi:filesystem/preopens': { getDirectories: () => [] },
    'wasi:http/types': http.types,
    'wasi:http/outgoing-handler': {
      handle() {
        emit({
          stream: 'refused',
          text: 'wasi:http/outgoing-handler was called: plugins reach the network only through the host http-get/http-post functions',
        });
        throw { tag: 'HTTP-request-denied' };
      },
    },
  };
}
