// Types for scripts/assemblyscript.mjs, for the unit tests that import it.
export declare const assemblyScriptToolchain: string;
export declare function buildAssemblyScript(dir: string, entry: string, outFile: string): Promise<void>;
