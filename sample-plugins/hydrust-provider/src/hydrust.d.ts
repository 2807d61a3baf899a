// The parts of hydrust:protocol@0.1.1 (site-provider world) this sample uses, as jco maps them.
declare module 'publish' {
  export interface StreamInfo {
    title: string;
    videoUrl: string;
    audioUrl?: string;
  }
  export type PluginEventPayload =
    | { tag: 'identified'; val: string }
    | { tag: 'request-browser'; val: StreamInfo }
    | { tag: 'request-captcha'; val: string }
    | { tag: 'result-ready'; val: StreamInfo }
    | { tag: 'error'; val: StreamInfo };
  export type CoreEventPayload = { tag: 'intent-resolve'; val: string } | { tag: 'browser-observed'; val: string } | { tag: 'captcha-solved'; val: string };
  export interface HydrustEvent {
    id: string;
    origin: string;
    timestamp: bigint;
    payload: { tag: 'plugin'; val: PluginEventPayload } | { tag: 'core'; val: CoreEventPayload } | { tag: 'service'; val: { tag: string; val: unknown } };
  }
  export default function publish(event: HydrustEvent): void;
}

// StarlingMonkey gives guests these web APIs (console output reaches the trace as stdout).
declare const console: { log(...data: unknown[]): void };
declare class URL {
  constructor(url: string);
  readonly hostname: string;
  readonly pathname: string;
  readonly searchParams: { get(name: string): string | null };
}
