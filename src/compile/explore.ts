// What the Explore view needs of any component, in the compile worker: its whole WIT (see
// shared/wit/rename.ts for how the printer is made to write every interface), the type model
// read from that text, and bindings transpiled without JSPI.
import { $init as transpilerReady, generate } from '@bytecodealliance/jco-transpile/component';
import { componentWit } from '@bytecodealliance/jco-transpile/wasm-tools';
import type { ExploredComponent } from '../shared/explore-protocol.ts';
import { restoreNames } from '../shared/wit/display.ts';
import { parseWorld } from '../shared/wit/parse.ts';
import { renameInterfaces } from '../shared/wit/rename.ts';

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // jco prefixes messages with a Rust error chain; the first line is the useful part.
  return message.split('\n')[0]!.trim();
}

export async function explore(bytes: Uint8Array): Promise<ExploredComponent> {
  await transpilerReady;
  const began = performance.now();
  let wit: string;
  let world;
  try {
    const renamed = renameInterfaces(bytes);
    const printed = await componentWit(renamed.bytes);
    world = parseWorld(printed, renamed.names);
    wit = restoreNames(printed, renamed.names);
  } catch (e) {
    throw new Error(`The component's types could not be read (${firstLine(e)}). The file may be truncated or damaged: build it again.`);
  }
  let result;
  try {
    result = generate(bytes, { name: 'component', instantiation: { tag: 'async' }, noTypescript: true, noNodejsCompat: true });
  } catch (e) {
    throw new Error(`The transpiler cannot handle this component (${firstLine(e)}), so it cannot run here; its WIT is still readable with wasm-tools.`);
  }
  return {
    wit,
    world,
    transpiled: { files: Object.fromEntries(result.files), imports: result.imports, exports: result.exports },
    transpileMs: performance.now() - began,
  };
}
