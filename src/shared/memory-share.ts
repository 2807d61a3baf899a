// The memory cap is a plugin's, not each memory's: a component of N core modules may define
// several memories, and each capped alone would give it N times the cap. So the cap is shared
// out before compiling: every memory defined in the plugin's modules keeps its minimum, and what
// the cap leaves above the minimums goes to them in proportion to their minimums (a memory that
// starts at 0 pages counts as 1), never past a maximum a memory declares itself. Imported
// memories are one of those defined ones and are capped at the whole cap, which any share fits.
// A SoundTime module shares the cap with the memory blocks Extism allocates for its calls.
import { EXTISM_BLOCKS_SHARE } from './limits.ts';
import { capMemory, MAX_PAGES_32, MAX_PAGES_64, mib, readMemories, WASM_PAGE_BYTES, type MemoryInfo } from './wasm-memory.ts';

/** What one memory asks: its minimum and the most it may grow to by its own declaration. */
export interface MemoryNeed {
  min: number;
  max: number;
}

/**
 * Each memory's maximum, in pages, such that they add up to at most `capPages`; undefined when
 * their minimums alone are more than that.
 */
export function shareMemoryCap(needs: readonly MemoryNeed[], capPages: number): number[] | undefined {
  const shares = needs.map((need) => need.min);
  let left = capPages - shares.reduce((sum, pages) => sum + pages, 0);
  if (left < 0) return undefined;
  let open = needs.map((_, i) => i).filter((i) => needs[i]!.max > needs[i]!.min);
  // Water-filling: a memory whose own maximum is below its proportional share takes its maximum,
  // and the rest is shared again among the others.
  while (left > 0 && open.length > 0) {
    const weight = open.reduce((sum, i) => sum + Math.max(needs[i]!.min, 1), 0);
    const full = open.filter((i) => needs[i]!.max - shares[i]! <= (left * Math.max(needs[i]!.min, 1)) / weight);
    if (full.length === 0) {
      for (const i of open) shares[i]! += Math.floor((left * Math.max(needs[i]!.min, 1)) / weight);
      break;
    }
    for (const i of full) {
      left -= needs[i]!.max - shares[i]!;
      shares[i] = needs[i]!.max;
    }
    open = open.filter((i) => !full.includes(i));
  }
  return shares;
}

function need(info: MemoryInfo): MemoryNeed {
  const limit = info.memory64 ? MAX_PAGES_64 : MAX_PAGES_32;
  return { min: info.min, max: Math.min(info.max ?? limit, limit) };
}

/**
 * `capMemory` over a component's transpiled files, the cap shared by all the memories their core
 * modules define; other files pass through. Throws, naming the module, when one memory needs
 * more than the cap to start, and saying both sums when all of them together do.
 */
export function capModuleMemories(files: Record<string, Uint8Array>, maxBytes: number): Record<string, Uint8Array> {
  const capPages = Math.floor(maxBytes / WASM_PAGE_BYTES);
  const modules = Object.entries(files).filter(([name]) => name.endsWith('.wasm'));
  const defined = modules.flatMap(([name, bytes]) =>
    readMemories(bytes)
      .filter((info) => info.kind === 'defined')
      .map((info) => ({ name, info })),
  );
  const shares = shareMemoryCap(
    defined.map(({ info }) => need(info)),
    capPages,
  );
  const shareOf = (name: string, info: MemoryInfo) =>
    info.kind === 'imported' ? capPages : shares?.[defined.findIndex((d) => d.name === name && d.info.index === info.index)];
  const capped: Record<string, Uint8Array> = { ...files };
  for (const [name, bytes] of modules) {
    const result = capMemory(bytes, maxBytes, (info) => shareOf(name, info) ?? capPages);
    if (!result.ok) throw new Error(`${name}: ${result.reason}`);
    capped[name] = result.bytes;
  }
  if (!shares) {
    const min = defined.reduce((sum, { info }) => sum + info.min, 0);
    throw new Error(
      `its ${defined.length} memories need at least ${mib(min)} MiB (${min} pages) together but the cap is ${mib(capPages)} MiB (${capPages} pages); raise the memory limit in Settings`,
    );
  }
  return capped;
}

/**
 * A SoundTime module's cap, split: Extism's memory blocks (each call's input and output, vars)
 * get `EXTISM_BLOCKS_SHARE` of it, in whole pages, and the module's own memory the rest.
 */
export function soundTimeMemoryShare(maxBytes: number): { modulePages: number; blockPages: number } {
  const capPages = Math.floor(maxBytes / WASM_PAGE_BYTES);
  const blockPages = Math.max(1, Math.floor(capPages * EXTISM_BLOCKS_SHARE));
  return { modulePages: Math.max(0, capPages - blockPages), blockPages };
}
