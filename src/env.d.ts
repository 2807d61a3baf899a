/// <reference types="vite/client" />

/** Version of the app, from package.json (set by Vite's `define`). */
declare const __APP_VERSION__: string;
/** Version of the in-browser transpiler, part of every transpile-cache key. */
declare const __TRANSPILER_VERSION__: string;

/** A WIT file parsed when the code is built (scripts/vite-wit.ts). */
declare module '*.wit?world' {
  // An ambient module declaration can name another module's type only this way.
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  const world: import('./shared/wit/model.ts').WitWorld;
  export default world;
}
