// The SoundTime runtime: runs one Extism core module with the real Extism SDK, in-page inside
// this plugin worker (so the page's watchdog can terminate it). Host functions are async and
// answered by the page over the plugin's channel; Extism suspends the guest on them through JSPI,
// as the component runtime does. Holds no policy: the ABI is decoded here, decisions are the page's.
//
// Fuel: the SDK takes only functions from the host, so the instrumented module's counter import
// is satisfied by linking a one-global module under its name (Extism resolves a manifest item's
// exports of any kind), and the module re-exports the counter for the FuelMeter to hold.
import createPlugin, { type CallContext, type Plugin } from '@extism/extism';
import { FUEL_COUNTER_EXPORT, FUEL_IMPORT_MODULE, FuelMeter, fuelCounterModule } from '../../shared/fuel.ts';
import { MAX_HANDLER_OUTPUT_CHARS, MAX_HOST_REQUESTS_PER_CALL } from '../../shared/limits.ts';
import type { EventReply, GuestRuntime, HostFunctionName, HostPortApi, PluginInfo, RuntimeStart, WitResult, WorkerEvent } from '../../shared/protocol.ts';
import { decodeCall, encodeResult, parseHandlerOutput, SOUNDTIME_FUNCTIONS, type SoundTimeFunction } from '../../shared/soundtime-abi.ts';
import { LogChannel } from '../log-channel.ts';
import { asTrap, metered } from '../metered.ts';

type SoundTimeStart = Extract<RuntimeStart, { kind: 'soundtime' }>;

/** A host function that failed: the call fails with the host's message, but the instance is sound. */
class HostFailure extends Error {
  override name = 'HostFailure';
}

const LOG_FUNCTIONS: Record<string, HostFunctionName> = { log_info: 'log-info', log_warn: 'log-warn', log_error: 'log-error' };

/** Extism's logger (the kernel's log_* and the SDK's own messages) writes into the trace. */
function logger(logs: LogChannel): Console {
  const line =
    (fn: HostFunctionName, prefix: string) =>
    (...parts: unknown[]) =>
      logs.send(fn, [prefix + parts.map(String).join(' ')]);
  return {
    ...console,
    trace: line('log-info', '[trace] '),
    debug: line('log-info', '[debug] '),
    log: line('log-info', ''),
    info: line('log-info', ''),
    warn: line('log-warn', ''),
    error: line('log-error', ''),
  };
}

/** Extism's `http_request` goes through the page's proxy (http_hosts) like http_get / http_post. */
function proxyFetch(host: HostPortApi): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST') throw new HostFailure(`http_request: ${method} is not supported; the playground proxies GET and POST`);
    const headers = [...new Headers(init?.headers).entries()];
    const body =
      init?.body === undefined || init.body === null ? '' : typeof init.body === 'string' ? init.body : new TextDecoder().decode(init.body as ArrayBuffer);
    const result = await host.call(method === 'GET' ? 'http-get' : 'http-post', method === 'GET' ? [url, headers] : [url, body, headers]);
    if (result.tag === 'err') throw new HostFailure(result.val);
    const response = result.val as { status: number; headers: Array<[string, string]>; body: string };
    const nullBody = [101, 103, 204, 205, 304].includes(response.status);
    return new Response(nullBody ? null : response.body, { status: response.status, headers: response.headers });
  };
}

export class SoundTimeRuntime implements GuestRuntime {
  private failure?: HostFailure;

  private constructor(
    private readonly plugin: Plugin,
    private readonly config: Record<string, string>,
    private readonly logs: LogChannel,
    readonly meter: FuelMeter,
  ) {}

  static async start(init: SoundTimeStart, host: HostPortApi, logPort: MessagePort, fuel: number): Promise<SoundTimeRuntime> {
    const logs = new LogChannel(logPort);
    // Extism reads config_get from this object; each event replaces its contents in place.
    const config: Record<string, string> = { ...init.config };
    let runtime: SoundTimeRuntime | undefined;
    const fail = (message: string): never => {
      const failure = new HostFailure(message);
      if (runtime) runtime.failure = failure;
      throw failure;
    };
    const user: Record<string, (cx: CallContext, ...offsets: bigint[]) => Promise<bigint>> = {};
    for (const name of Object.keys(SOUNDTIME_FUNCTIONS) as SoundTimeFunction[]) {
      // Extism suspends only on real async functions, so each one is declared `async`.
      user[name] = async (cx, ...offsets) => {
        let call;
        try {
          call = decodeCall(
            name,
            offsets.map((offset) => (offset === 0n ? null : (cx.read(offset)?.bytes() ?? null))),
          );
        } catch (e) {
          return fail(e instanceof Error ? e.message : String(e));
        }
        if (LOG_FUNCTIONS[name]) {
          logs.send(LOG_FUNCTIONS[name], call.args);
          return 0n;
        }
        const result: WitResult<unknown> = await host.call(call.fn, call.args);
        if (result.tag === 'err') return fail(result.val);
        if (name === 'set_config') config[call.args[0] as string] = call.args[1] as string;
        if (name === 'delete_config') delete config[call.args[0] as string];
        const out = encodeResult(name, result.val);
        return out === null ? 0n : cx.store(out);
      };
    }
    const imports = WebAssembly.Module.imports(init.module);
    // The counter starts with the budget, so start functions run counted. A start function that
    // runs out fails instantiation with a bare `unreachable`: without an instance there is no
    // counter left to read.
    const counter = new WebAssembly.Module(fuelCounterModule(fuel));
    const plugin = await createPlugin(
      {
        wasm: [
          { name: FUEL_IMPORT_MODULE, module: counter },
          { name: 'main', module: init.module },
        ],
      },
      {
        useWasi: imports.some((i) => i.module.startsWith('wasi_')),
        runInWorker: false,
        functions: {
          'extism:host/user': user,
          // AssemblyScript's default abort handler, when a module was built without `--use abort=`.
          env: { abort: () => fail('the module called abort()') },
        },
        config,
        logger: logger(logs),
        logLevel: 'trace',
        allowedHosts: ['*'],
        fetch: proxyFetch(host),
        memory: { maxPages: init.maxPages },
      },
    );
    const global = (await plugin.getInstance()).exports[FUEL_COUNTER_EXPORT];
    if (!(global instanceof WebAssembly.Global)) throw new Error('the module was not instrumented to count fuel');
    runtime = new SoundTimeRuntime(plugin, config, logs, new FuelMeter(global));
    return runtime;
  }

  async metadata(): Promise<PluginInfo> {
    throw new Error('SoundTime plugins have no metadata export');
  }

  async onEvent(event: WorkerEvent, fuel: number): Promise<EventReply> {
    if (event.kind !== 'soundtime') throw new Error('a SoundTime module was sent a component event');
    for (const key of Object.keys(this.config)) delete this.config[key];
    Object.assign(this.config, event.config);
    this.failure = undefined;
    const call = await metered(this.meter, fuel, () => this.plugin.call(event.handler, event.input));
    if (!call.ok) {
      // A trap poisons the instance: the page discards this worker. A failed host function or
      // an error the handler set are the call's result, as in SoundTime.
      const e = call.error;
      const failure = this.failure as HostFailure | undefined;
      if (call.fuel.exhausted || (e instanceof WebAssembly.RuntimeError && !failure)) {
        await this.logs.flush();
        throw asTrap(e, call.fuel);
      }
      const message = failure?.message ?? (e instanceof Error ? e.message : String(e));
      return { result: { tag: 'err', val: message }, logLines: this.logs.sent, fuel: call.fuel.used };
    }
    const text = call.value?.text() ?? '';
    const parsed = parseHandlerOutput(text.length > MAX_HANDLER_OUTPUT_CHARS ? '' : text, MAX_HOST_REQUESTS_PER_CALL);
    const reply: EventReply = {
      result: { tag: 'ok', val: null },
      logLines: this.logs.sent,
      fuel: call.fuel,
      hostRequests: parsed.requests,
      hostRequestsDropped: parsed.dropped,
    };
    if (text.length > MAX_HANDLER_OUTPUT_CHARS)
      reply.outputProblem = `the handler's output is ${text.length} characters; at most ${MAX_HANDLER_OUTPUT_CHARS} are read, so it was ignored`;
    else if (parsed.problem) reply.outputProblem = parsed.problem;
    return reply;
  }
}
