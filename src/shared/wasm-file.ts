// Recognises what a user dropped before any heavy work: an empty file, something that is not
// WebAssembly, a core module, or a component. The 8-byte preamble says which.

export type WasmKind = 'empty' | 'not-wasm' | 'core-module' | 'component' | 'unknown-layer';

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

export function classifyWasm(bytes: Uint8Array): WasmKind {
  if (bytes.length === 0) return 'empty';
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) return 'not-wasm';
  // Bytes 4-5: version, 6-7: layer. Core modules are version 1 layer 0; components layer 1.
  const layer = bytes[6]! | (bytes[7]! << 8);
  if (layer === 0) return 'core-module';
  if (layer === 1) return 'component';
  return 'unknown-layer';
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Checked on the file's declared size, before its bytes are read into memory. */
export function sizeProblem(fileName: string, size: number, maxBytes: number): string | undefined {
  if (size <= maxBytes) return undefined;
  return (
    `"${fileName}" is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for a plugin. ` +
    `Build it in release mode and strip debug info, or raise the limit in Settings.`
  );
}

/** A full sentence for every kind that is not a component, or undefined for a component. */
export function kindProblem(fileName: string, kind: WasmKind): string | undefined {
  switch (kind) {
    case 'component':
      return undefined;
    case 'empty':
      return `"${fileName}" is empty (0 bytes). Pick the .wasm file your build produced.`;
    case 'not-wasm':
      return `"${fileName}" is not a WebAssembly file: it does not start with the "\\0asm" header. ` + `Pick the .wasm component your build produced.`;
    case 'core-module':
      return (
        `"${fileName}" is a core WebAssembly module, not a component (nor a SoundTime plugin: it neither imports extism:host nor exports handle_on_*). Build it as a component ` +
        `(jco componentize, cargo component, or wasm-tools component new), or wrap it with ` +
        `\`jco new ${fileName} --wasi-reactor -o plugin.component.wasm\`.`
      );
    case 'unknown-layer':
      return `"${fileName}" uses a WebAssembly binary layer this playground does not know. Rebuild it with a current toolchain.`;
  }
}
