// Watches one file on disk for a new build. The File System Access API has no change events,
// so the handle is polled: its file's lastModified and size. A compiler writes its output in
// pieces, so a change is read only once it has held for one more check; a build that is then
// refused (half-written, broken) is reported and the next change is tried again.
import { WATCH_POLL_MS } from '../shared/limits.ts';

/** What is watched: a FileSystemFileHandle, or anything with its `name` and `getFile()`. */
export interface WatchedHandle {
  readonly name: string;
  getFile(): Promise<File>;
}

export interface WatchStatus {
  fileName: string;
  /** What the last build read did (reloaded, unchanged), for the card. */
  note?: string;
  /** Why the file or its last build could not be used; watching goes on. */
  problem?: string;
  /** When a build was last read from the file. */
  readAt?: number;
}

/** Reads one build; resolves to a note for the card, rejects with the reason it was refused. */
export type OnBuild = (file: File) => Promise<string>;

export class FileWatch {
  readonly status: WatchStatus;
  private stamp?: string;
  /** A changed stamp seen once, read when the next check still sees it. */
  private pending?: string;
  private timer?: ReturnType<typeof setTimeout>;
  private stopped = false;
  /** The last check could not read the file (its problem is cleared once it can again). */
  private unreadable = false;

  constructor(
    private readonly handle: WatchedHandle,
    private readonly onBuild: OnBuild,
    private readonly onStatus: () => void,
    private readonly intervalMs = WATCH_POLL_MS,
  ) {
    this.status = { fileName: handle.name };
  }

  /** Reads the file at once (it may be newer than what is installed), then checks it on a timer. */
  start(): void {
    void this.check(true);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async check(first = false): Promise<void> {
    if (this.stopped) return;
    try {
      const file = await this.handle.getFile();
      if (this.unreadable) {
        this.unreadable = false;
        this.report({ problem: undefined });
      }
      const stamp = `${file.lastModified}:${file.size}`;
      if (first || (stamp !== this.stamp && stamp === this.pending)) {
        this.stamp = stamp;
        this.pending = undefined;
        await this.read(file);
      } else {
        this.pending = stamp === this.stamp ? undefined : stamp;
      }
    } catch (e) {
      // A build tool may delete the file before writing it again: say so and keep looking.
      this.unreadable = true;
      this.report({ problem: `${this.handle.name} cannot be read (${e instanceof Error ? e.message : String(e)}); still watching.` });
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.check(), this.intervalMs);
  }

  private async read(file: File): Promise<void> {
    try {
      const note = await this.onBuild(file);
      this.report({ note, problem: undefined, readAt: Date.now() });
    } catch (e) {
      this.report({ problem: `The build in ${this.handle.name} was not loaded: ${e instanceof Error ? e.message : String(e)}`, readAt: Date.now() });
    }
  }

  private report(change: Partial<WatchStatus>): void {
    if (this.stopped) return;
    Object.assign(this.status, change);
    this.onStatus();
  }
}
