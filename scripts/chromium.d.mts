export function bundledChromium(): string | undefined;
export function systemChromium(): string | undefined;
export function chromiumExecutable(): string | undefined;
export const CHROMIUM_ARGS: readonly string[];
