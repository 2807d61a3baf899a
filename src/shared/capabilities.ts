// What the browser offers that the playground depends on, read in one place by the code and
// the tests alike. Plugins call the host through JSPI (JavaScript Promise Integration): a guest
// suspends on a host call and resumes with its answer, for components (jco) and Extism modules.

export interface Capabilities {
  /** `WebAssembly.Suspending` and `WebAssembly.promising`: without them no plugin can run. */
  jspi: boolean;
  /** The File System Access API, for watching a plugin's file on disk. */
  fileSystemAccess: boolean;
}

export function capabilities(scope: object = globalThis): Capabilities {
  const wasm = (scope as { WebAssembly?: Record<string, unknown> }).WebAssembly;
  return {
    jspi: typeof wasm?.Suspending === 'function' && typeof wasm?.promising === 'function',
    fileSystemAccess: typeof (scope as { showOpenFilePicker?: unknown }).showOpenFilePicker === 'function',
  };
}

/** A sentence for the page when something plugins need is missing, else undefined. */
export function capabilityNotice(found: Capabilities): string | undefined {
  if (found.jspi) return undefined;
  return (
    'This browser has no JavaScript Promise Integration (WebAssembly.Suspending), which plugins need to call the host, ' +
    'so no plugin can start here. Use Chrome, Edge or another Chromium-based browser, version 137 or newer; ' +
    'Firefox and Safari do not have it yet. You can still look around and edit manifests.'
  );
}
