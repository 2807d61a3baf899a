// The runtimes the playground has, and which one a file or an installed plugin belongs to.
import type { Profile } from '../../shared/protocol.ts';
import type { WasmKind } from '../../shared/wasm-file.ts';
import type { Compiler } from '../compiler.ts';
import { ComponentHostRuntime } from './component.ts';
import { SoundTimeHostRuntime, type SoundTimeDeps } from './soundtime.ts';
import type { HostRuntime } from './types.ts';

export type { HostRuntime } from './types.ts';

export class Runtimes {
  readonly component: ComponentHostRuntime;
  readonly soundtime: SoundTimeHostRuntime;

  constructor(compiler: Compiler, soundtime: SoundTimeDeps) {
    this.component = new ComponentHostRuntime(compiler);
    this.soundtime = new SoundTimeHostRuntime(soundtime, compiler);
  }

  forProfile(profile: Profile): HostRuntime {
    return profile === 'soundtime' ? this.soundtime : this.component;
  }

  /** The runtime that takes this file, if any. */
  async forFile(kind: WasmKind, bytes: Uint8Array): Promise<HostRuntime | undefined> {
    for (const runtime of [this.component, this.soundtime]) if (await runtime.recognises(kind, bytes)) return runtime;
    return undefined;
  }

  /** Forgets what was compiled from a file that is no longer installed. */
  forget(sha256: string): void {
    this.component.forget(sha256);
    this.soundtime.forget(sha256);
  }
}
