// Transpiles a component to JS + core modules with jco, in the browser. Runs in the compile
// worker only: jco's own wasm is ~3.5 MB and transpiling takes hundreds of milliseconds.
import { $init as transpilerReady, generate } from '@bytecodealliance/jco-transpile/component';
import { componentWit } from '@bytecodealliance/jco-transpile/wasm-tools';
import type { Inspection, Transpiled, TranspileOptions } from '../shared/protocol.ts';

function describe(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // jco prefixes messages with a Rust error chain; the first line is the useful part.
  return message.split('\n')[0]!.trim();
}

export async function inspect(bytes: Uint8Array, options: TranspileOptions): Promise<Inspection> {
  await transpilerReady;
  const began = performance.now();
  let wit: string;
  let transpiled: Transpiled;
  try {
    wit = await componentWit(bytes);
    const result = generate(bytes, {
      name: 'plugin',
      instantiation: { tag: 'async' },
      noTypescript: true,
      noNodejsCompat: true,
      asyncMode: { tag: 'jspi', val: { imports: options.jspiImports, exports: options.jspiExports } },
      importBindings: { tag: options.importBindings ?? 'js' },
    });
    transpiled = {
      files: Object.fromEntries(result.files),
      imports: result.imports,
      exports: result.exports,
    };
  } catch (e) {
    throw new Error(`The component could not be read (${describe(e)}). The file may be truncated or damaged: build it again.`);
  }
  return { wit, transpiled, transpileMs: performance.now() - began };
}
