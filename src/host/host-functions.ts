// The host functions of `playground:plugin/host`, answered in the page. The caller's id comes
// from the port the call arrived on (see plugin-bridge.ts), never from the arguments.
import { MAX_PER_PAGE } from '../shared/limits.ts';
import { cleanLogLine } from '../shared/log-text.ts';
import type { HostFunctionName, WitResult } from '../shared/protocol.ts';
import type { HostAsk } from './bridge-types.ts';
import type { Track, User } from './catalog-data.ts';
import type { Catalog, TrackPatch } from './catalog.ts';
import { ConfigRefused, type ConfigStore, configKeyProblem } from './config-store.ts';
import { proxyHttp, type HttpLimits } from './http-proxy.ts';
import { checkPermission, type PermissionGrant } from './permissions.ts';
import type { Trace } from './trace.ts';

export interface HostContext {
  catalog: Catalog;
  config: ConfigStore;
  trace: Trace;
  grantFor(pluginId: string): PermissionGrant;
  /** Fans a custom event out to other plugins; resolves to an error text if refused. */
  emit(sourcePluginId: string, eventName: string, payload: string): string | undefined;
  /** Counts a log line against the plugin's per-call limit; false: drop it. */
  admitLog(pluginId: string): boolean;
  httpLimits(): HttpLimits;
  instanceName: string;
}

const ok = <T>(val: T): WitResult<T> => ({ tag: 'ok', val });
const err = (val: string): WitResult<never> => ({ tag: 'err', val });

/** `track-info` as jco lowers it: camelCase fields, `undefined` for none, bigint for s64. */
export function toTrackInfo(t: Track) {
  return {
    id: t.id,
    title: t.title,
    artistName: t.artistName,
    albumTitle: t.albumTitle,
    durationSecs: t.durationSecs,
    genre: t.genre,
    year: t.year,
    format: t.format,
    bitrate: t.bitrate,
    sampleRate: t.sampleRate,
    playCount: BigInt(t.playCount),
  };
}

/** `user-info`: the record a plugin may see. Secrets stay behind. */
export function toUserInfo(u: User) {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, createdAt: u.createdAt };
}

// Guests reach us through the canonical ABI, so types are already right; these guard the
// page against a confused bindings layer, not against the guest.
function str(args: unknown[], i: number): string {
  const value = args[i];
  if (typeof value !== 'string') throw new TypeError(`argument ${i + 1} must be a string`);
  return value;
}

function u32(args: unknown[], i: number): number {
  const value = args[i];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new TypeError(`argument ${i + 1} must be a u32`);
  return value;
}

function pairs(args: unknown[], i: number): Array<[string, string]> {
  const value = args[i];
  if (!Array.isArray(value) || !value.every((p) => Array.isArray(p) && p.length === 2 && p.every((s) => typeof s === 'string'))) {
    throw new TypeError(`argument ${i + 1} must be a list of string pairs`);
  }
  return value as Array<[string, string]>;
}

function paginate<T>(items: T[], page: number, perPage: number) {
  const size = Math.min(Math.max(perPage, 1), MAX_PER_PAGE);
  const current = Math.max(page, 1);
  const totalPages = Math.ceil(items.length / size);
  return { slice: items.slice((current - 1) * size, current * size), page: current, perPage: size, totalPages };
}

/** set-track-metadata's field names, mapped to what they patch. */
function metadataPatch(fields: Array<[string, string]>): TrackPatch | string {
  const patch: TrackPatch = {};
  const extra: Record<string, string> = {};
  for (const [name, value] of fields) {
    switch (name) {
      case 'title':
      case 'genre':
      case 'lyrics':
      case 'format':
        patch[name] = value;
        break;
      case 'artist-name':
        patch.artistName = value;
        break;
      case 'album-title':
        patch.albumTitle = value;
        break;
      case 'year': {
        const year = Number(value);
        if (!Number.isInteger(year)) return `field "year" must be an integer, got ${JSON.stringify(value)}`;
        patch.year = year;
        break;
      }
      default:
        if (!/^[a-z][a-z0-9_-]{0,63}$/.test(name)) return `field name ${JSON.stringify(name)} is not a valid metadata field name`;
        extra[name] = value;
    }
  }
  if (Object.keys(extra).length > 0) patch.extra = extra;
  return patch;
}

export class HostFunctions {
  constructor(private readonly ctx: HostContext) {}

  /**
   * Answers one call from `pluginId`: checks its permission, runs it, and traces both. `at`: what
   * its guest call had used; its `answer`, if any, hears the result before the trace is written.
   */
  async call(pluginId: string, fn: HostFunctionName, args: unknown[], at: HostAsk = {}): Promise<WitResult<unknown>> {
    const began = performance.now();
    const decision = checkPermission(this.ctx.grantFor(pluginId), fn);
    let result: WitResult<unknown>;
    if (decision) {
      this.ctx.trace.add({ kind: 'permission', pluginId, fn, ...decision });
    }
    if (decision && !decision.allowed) {
      result = err(decision.reason);
    } else {
      try {
        result = await this.run(pluginId, fn, args);
      } catch (e) {
        result = err(`${fn} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const durationMs = performance.now() - began;
    at.answer?.(result);
    if (!fn.startsWith('log-')) {
      this.ctx.trace.add({ kind: 'host-call', pluginId, fn, args, result, durationMs, fuel: at.fuel, guestMs: at.guestMs });
    }
    return result;
  }

  private async run(pluginId: string, fn: HostFunctionName, args: unknown[]): Promise<WitResult<unknown>> {
    const { catalog, config, trace } = this.ctx;
    switch (fn) {
      case 'get-track': {
        const track = await catalog.track(str(args, 0));
        return track ? ok(toTrackInfo(track)) : err(`track ${JSON.stringify(args[0])} does not exist`);
      }
      case 'search-tracks': {
        const found = await catalog.searchTracks(str(args, 0));
        const { slice, page, perPage, totalPages } = paginate(found, u32(args, 1), u32(args, 2));
        return ok({ tracks: slice.map(toTrackInfo), total: BigInt(found.length), page, perPage, totalPages });
      }
      case 'set-track-lyrics':
        return this.patchTrack(str(args, 0), { lyrics: str(args, 1) });
      case 'set-track-genre':
        return this.patchTrack(str(args, 0), { genre: str(args, 1) });
      case 'set-track-metadata': {
        const patch = metadataPatch(pairs(args, 1));
        return typeof patch === 'string' ? err(patch) : this.patchTrack(str(args, 0), patch);
      }
      case 'list-users': {
        const { slice } = paginate(await catalog.users(), u32(args, 0), u32(args, 1));
        return ok(slice.map(toUserInfo));
      }
      case 'get-user': {
        const user = await catalog.user(str(args, 0));
        return user ? ok(toUserInfo(user)) : err(`user ${JSON.stringify(args[0])} does not exist`);
      }
      case 'http-get':
        return proxyHttp(
          pluginId,
          { method: 'GET', url: str(args, 0), headers: pairs(args, 1) },
          this.ctx.grantFor(pluginId).httpHosts,
          this.ctx.httpLimits(),
          trace,
        );
      case 'http-post':
        return proxyHttp(
          pluginId,
          { method: 'POST', url: str(args, 0), body: str(args, 1), headers: pairs(args, 2) },
          this.ctx.grantFor(pluginId).httpHosts,
          this.ctx.httpLimits(),
          trace,
        );
      case 'get-config': {
        const key = str(args, 0);
        const problem = configKeyProblem(key);
        return problem ? err(problem) : ok(await config.get(pluginId, key));
      }
      case 'set-config': {
        try {
          await config.set(pluginId, str(args, 0), str(args, 1));
        } catch (e) {
          // Its reason as the plugin reads it; any other failure is the host's.
          if (e instanceof ConfigRefused) return err(e.message);
          throw e;
        }
        return ok(undefined);
      }
      case 'delete-config': {
        const key = str(args, 0);
        const problem = configKeyProblem(key);
        if (problem) return err(problem);
        await config.delete(pluginId, key);
        return ok(undefined);
      }
      case 'log-info':
      case 'log-warn':
      case 'log-error': {
        const level = fn === 'log-info' ? 'info' : fn === 'log-warn' ? 'warn' : 'error';
        if (this.ctx.admitLog(pluginId)) trace.add({ kind: 'log', pluginId, level, message: cleanLogLine(str(args, 0)) });
        return ok(undefined);
      }
      case 'get-instance-info': {
        const counts = await catalog.counts();
        return ok({
          name: this.ctx.instanceName,
          version: __APP_VERSION__,
          domain: location.host,
          trackCount: BigInt(counts.tracks),
          userCount: BigInt(counts.users),
        });
      }
      case 'get-current-timestamp':
        return ok(new Date().toISOString());
      case 'emit-event': {
        const refused = this.ctx.emit(pluginId, str(args, 0), str(args, 1));
        return refused ? err(refused) : ok(undefined);
      }
    }
  }

  private async patchTrack(id: string, patch: TrackPatch): Promise<WitResult<unknown>> {
    const updated = await this.ctx.catalog.updateTrack(id, patch);
    return updated ? ok(undefined) : err(`track ${JSON.stringify(id)} does not exist`);
  }
}
