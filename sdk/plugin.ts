/**
 * The class a plugin's entry module exports as its default export. The kernel
 * resolves it in the plugin's own container, so its constructor takes the
 * plugin's services with `@inject(TOKEN)` on every parameter.
 */
export interface Plugin {
  /** Claims ports, defines events, conditions and actions. Has a time limit. */
  start?(): void | Promise<void>;
  /** Releases what `start` took; claims and listeners are released by the kernel too. */
  stop?(): void | Promise<void>;
}

export type PluginClass = new (...args: never[]) => Plugin;

/** Who this plugin is, as the kernel loaded it. */
export interface PluginInfo {
  name: string;
  version: string;
  displayName: string;
  /** Folder the plugin was loaded from (assets live beside the manifest). */
  directory: string;
}
