import type { ChipType, ControllerDecision, PresentedCredential } from 'portier/sdk';
import type { DoorControllerClient, DoorControllerOptions } from './network/door-controller-client.js';
import type { NetworkSettings } from './reader-settings.js';

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

/**
 * A network door controller (the manual's "VAPIX reader" connection, over
 * HTTPS): nothing is pushed to it; the entry list asks it about credentials
 * it does not know ("Use connected door controller") through the
 * credentials service's `controller()`, and turns the answer into access
 * granted or denied.
 */
export class NetworkConnection implements ReaderConnection {
  readonly type = 'network' as const;
  private readonly options: DoorControllerOptions;
  /** The HTTPS client, loaded with the first credential to forward: an intercom that never forwards never loads it. */
  private client: Promise<DoorControllerClient> | undefined;
  private asked = 0;
  private failed = 0;
  private lastProblem: string | undefined;

  constructor(private readonly settings: NetworkSettings) {
    const options: DoorControllerOptions = {
      url: settings.controllerUrl,
      username: settings.username,
      password: settings.password,
      verifyCertificate: settings.verifyCertificate,
      readerId: settings.readerId,
      timeoutMs: settings.timeoutMs,
    };
    if (settings.ca !== '') options.ca = settings.ca;
    this.options = options;
  }

  async decide(credential: PresentedCredential): Promise<ControllerDecision> {
    this.asked += 1;
    try {
      this.client ??= import('./network/door-controller-client.js').then(({ DoorControllerClient }) => new DoorControllerClient(this.options));
      return await (await this.client).decide(credential);
    } catch (error) {
      this.failed += 1;
      this.lastProblem = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  sendCard(): void {}
  sendPin(): void {}
  status(): Record<string, unknown> {
    return {
      type: 'network',
      controllerUrl: this.settings.controllerUrl,
      verifyCertificate: this.settings.verifyCertificate,
      readerId: this.settings.readerId,
      asked: this.asked,
      failed: this.failed,
      ...(this.lastProblem === undefined ? {} : { lastProblem: this.lastProblem }),
    };
  }
  close(): void {}
}
