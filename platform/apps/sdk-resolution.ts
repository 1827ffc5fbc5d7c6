import { register } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `.js` when built, `.ts` when run from the sources (tsx): the SDK modules this very platform loaded. */
const EXTENSION = extname(fileURLToPath(import.meta.url));

/** The platform's own SDK modules, which every app must share (one tsyringe, one set of tokens). */
const SDK_URLS = {
  'portier/sdk': new URL(`../../sdk/index${EXTENSION}`, import.meta.url).href,
  'portier/sdk/testing': new URL(`../../sdk/testing/index${EXTENSION}`, import.meta.url).href,
};

const REPOSITORY = pathToFileURL(fileURLToPath(new URL('../../', import.meta.url))).href;

/**
 * The resolve hook itself: the two SDK specifiers map to the platform's
 * modules, everything else goes on to Node (an app bundles what else it
 * needs). Small and dependency-free, so it is registered as source and runs
 * the same whether the platform runs built or from its sources.
 */
const HOOK = `let sdk = {};
export function initialize(data) { sdk = data.sdk; }
export async function resolve(specifier, context, nextResolve) {
  const url = sdk[specifier];
  return url === undefined ? nextResolve(specifier, context) : { url, shortCircuit: true };
}`;

let registered = false;

/**
 * Makes `import … from 'portier/sdk'` in an app resolve to the running
 * platform's SDK. An app lives in the data folder, outside this package, where
 * Node would find no `portier` to import. Registered on the first app load,
 * not at start: a hook sees every import after it, and the platform's own
 * modules are all loaded by then.
 */
export function registerSdkResolution(): void {
  if (registered) return;
  registered = true;
  // Under vitest, app modules go through its own resolver (an alias in vitest.config.ts); the hook is then unused.
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { sdk: SDK_URLS } });
}

/** Built-in plugins resolve `portier/sdk` through the package's own exports and need no hook. */
export function isInsideRepository(url: string): boolean {
  return url.startsWith(REPOSITORY) && !url.includes('/node_modules/');
}
