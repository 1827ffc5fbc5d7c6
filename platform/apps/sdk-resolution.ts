import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The platform's own SDK modules, which every app must share (one tsyringe, one set of tokens). */
const SDK_URLS = {
  'portier/sdk': new URL('../../sdk/index.js', import.meta.url).href,
  'portier/sdk/testing': new URL('../../sdk/testing/index.js', import.meta.url).href,
};

const REPOSITORY = pathToFileURL(fileURLToPath(new URL('../../', import.meta.url))).href;

let registered = false;

/**
 * Makes `import … from 'portier/sdk'` in an app resolve to the running
 * platform's SDK. An app lives in the data folder, outside this package, where
 * Node would find no `portier` to import; the hook (sdk-resolve-hook.ts) maps
 * the two SDK specifiers and leaves every other import to Node. Registered on
 * the first app load, not at start: a hook sees every import after it, and the
 * platform's own modules are loaded by then.
 */
export function registerSdkResolution(): void {
  if (registered) return;
  registered = true;
  // Run from the TypeScript sources (tests), the test runner resolves the SDK itself.
  if (import.meta.url.endsWith('.ts')) return;
  register(new URL('./sdk-resolve-hook.js', import.meta.url), { data: { sdk: SDK_URLS } });
}

/** Built-in plugins resolve `portier/sdk` through the package's own exports and need no hook. */
export function isInsideRepository(url: string): boolean {
  return url.startsWith(REPOSITORY) && !url.includes('/node_modules/');
}
