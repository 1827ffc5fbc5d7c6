import type { ChipType } from 'portier/sdk';

/**
 * Where accepted credentials go besides the platform's own listeners: a door
 * controller on the reader connector (Wiegand, OSDP) or on the network. One
 * at a time, as the manual's "Reader protocol" setting. Each kind claims the
 * ports it uses when it opens, and gives them back when it closes.
 */
export interface ReaderConnection {
  readonly type: 'none' | 'wiegand' | 'osdp' | 'network';
  sendCard(credential: string, chipType: ChipType): void;
  sendPin(digits: string): void;
  /** What GET /status shows about the link. */
  status(): Record<string, unknown>;
  close(): void;
}

/** Standalone: the entry list (or nobody) decides; nothing leaves the intercom. */
export class NoConnection implements ReaderConnection {
  readonly type = 'none' as const;
  sendCard(): void {}
  sendPin(): void {}
  status(): Record<string, unknown> {
    return { type: 'none' };
  }
  close(): void {}
}

export const NETWORK_NOT_IMPLEMENTED = 'network door controller not implemented yet';

/**
 * A network door controller, as far as this version goes: its settings are
 * kept and checked, but nothing is sent to it yet. Said loudly — in the log
 * when it opens and in GET /status — rather than dropped in silence; the
 * credentials service offers no controller, so the entry list does not
 * forward to it.
 */
export class PendingNetworkConnection implements ReaderConnection {
  readonly type = 'network' as const;
  constructor(private readonly controllerUrl: string) {}
  sendCard(): void {}
  sendPin(): void {}
  status(): Record<string, unknown> {
    return { type: 'network', controllerUrl: this.controllerUrl, problem: NETWORK_NOT_IMPLEMENTED };
  }
  close(): void {}
}
