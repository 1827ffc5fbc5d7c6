/**
 * Module resolve hook (node:module register) that gives apps the running
 * platform's SDK for `portier/sdk` and `portier/sdk/testing`; everything else
 * an app imports it bundles, and Node resolves as usual.
 */
interface HookData {
  sdk: Record<string, string>;
}

type NextResolve = (specifier: string, context: unknown) => Promise<{ url: string }>;

let sdk: Record<string, string> = {};

export function initialize(data: HookData): void {
  sdk = data.sdk;
}

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<{ url: string; shortCircuit?: boolean }> {
  const url = sdk[specifier];
  if (url !== undefined) return { url, shortCircuit: true };
  return nextResolve(specifier, context);
}
