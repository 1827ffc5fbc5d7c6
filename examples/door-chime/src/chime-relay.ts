import { type PortsApi, PortierError, type RelayPort, isPortierError } from 'portier/sdk';
import type { ChimePlayer } from './chime-player.js';

const PURPOSE = 'Door chime (potential-free contact)';

/**
 * The relay the chime is wired to. The manual's wiring example puts a door
 * chime on relay 2 as a potential-free contact: the chime's own circuit runs
 * through the relay's NO and COM pins, so the relay is set to be open at rest
 * (`fail-secure` in Portier's terms) and closes only for a strike.
 */
export class ChimeRelay {
  private held: RelayPort | undefined;

  constructor(
    private readonly ports: PortsApi,
    private readonly player: ChimePlayer,
  ) {}

  get id(): string | undefined {
    return this.held?.id;
  }

  /** Holds `relayId` (releasing another one held before); throws PORT_CLAIMED with what to do when someone else holds it. */
  use(relayId: string): void {
    if (this.held?.id === relayId) return;
    this.release();
    let relay: RelayPort;
    try {
      relay = this.ports.claim(relayId, 'relay', PURPOSE);
    } catch (error) {
      throw explainClaimError(error, relayId);
    }
    // Open at rest, whatever the relay's last holder left it as.
    relay.setNormalState('fail-secure');
    relay.set(false);
    this.held = relay;
    this.player.connect(relay);
  }

  /** Opens the contact and gives the relay back. */
  release(): void {
    const relay = this.held;
    this.held = undefined;
    this.player.connect(undefined);
    if (relay !== undefined) this.ports.release(relay.id);
  }
}

function explainClaimError(error: unknown, relayId: string): unknown {
  if (!isPortierError(error) || error.code !== 'PORT_CLAIMED') return error;
  return new PortierError(
    error.code,
    `${error.message} The door chime is wired to ${relayId} as a potential-free contact: free ${relayId} in the plugin that holds it ` +
      `(for the I/O plugin, set ports.${relayId}.use to false in its settings) or choose another relay in the door-chime settings, then start door-chime again.`,
    error.details,
    { cause: error },
  );
}
