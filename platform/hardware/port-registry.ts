import { PortierError } from '../../sdk/errors.js';
import type { ClaimablePortKind, PortClaim, PortHandles, PortInfo, PortKind, RelayNormalState } from '../../sdk/ports.js';
import type { BoardDefinition } from './board.js';
import type { HardwareDriver } from './driver.js';
import { MicrophoneHandle, SpeakerHandle } from './audio-handles.js';
import {
  type AnyPortHandle,
  ButtonHandle,
  IoHandle,
  LightSensorHandle,
  type ListenerGuard,
  PirHandle,
  ReaderConnectorHandle,
  RelayHandle,
  RfidReaderHandle,
  StatusLedHandle,
} from './port-handles.js';

interface Held {
  claim: PortClaim;
  handle?: AnyPortHandle;
}

export interface ClaimRequest<K extends ClaimablePortKind> {
  owner: string;
  portId: string;
  kind: K;
  purpose: string;
  /** The port kinds the owner's manifest lists under `hardware`. */
  allowedKinds: readonly PortKind[];
  guard: ListenerGuard;
}

/**
 * Who holds which port. Ports are claimed, not shared: the manual warns that
 * reusing an I/O silently breaks its events, so a second claim is refused
 * with the name of the holder instead.
 */
export class PortRegistry {
  private readonly held = new Map<string, Held>();
  private readonly ports: Map<string, PortInfo>;
  /**
   * Each relay's normal state as its last holder set it. The normal state is a
   * fact of the wiring (the lock), not of one claim: a new claim that started
   * from fail-secure would open a fail-safe lock's relay until its holder set
   * the normal state again, unlocking the door for that moment.
   */
  private readonly relayNormalStates = new Map<string, RelayNormalState>();

  constructor(
    readonly board: BoardDefinition,
    private readonly driver: HardwareDriver,
  ) {
    this.ports = new Map(board.ports.map((p) => [p.id, p]));
  }

  list(): (PortInfo & { claim?: PortClaim })[] {
    return this.board.ports.map((port) => {
      const held = this.held.get(port.id);
      return held ? { ...port, claim: { ...held.claim } } : { ...port };
    });
  }

  holder(portId: string): PortClaim | undefined {
    const held = this.held.get(portId);
    return held ? { ...held.claim } : undefined;
  }

  /** The handle of a claimed port, for the kernel's own views (API, simulator). */
  handle(portId: string): AnyPortHandle | undefined {
    return this.held.get(portId)?.handle;
  }

  claim<K extends ClaimablePortKind>(request: ClaimRequest<K>): PortHandles[K] {
    const { owner, portId, kind, purpose } = request;
    const port = this.ports.get(portId);
    if (port === undefined) {
      throw new PortierError(
        'PORT_UNKNOWN',
        `Plugin "${owner}" asked for port "${portId}", which this board does not have (ports: ${[...this.ports.keys()].join(', ')}).`,
      );
    }
    if (port.kind !== kind) {
      throw new PortierError('PORT_KIND_MISMATCH', `Plugin "${owner}" claimed ${portId} as a ${kind} port, but ${portId} is a ${port.kind} port.`);
    }
    if (!request.allowedKinds.includes(port.kind)) {
      throw new PortierError(
        'PORT_KIND_NOT_DECLARED',
        `Plugin "${owner}" claimed ${portId} (${port.kind}), but its manifest's "hardware" does not list the kind "${port.kind}".`,
      );
    }
    const held = this.held.get(portId);
    if (held !== undefined) {
      const same = held.claim.owner === owner ? ' (the same plugin claimed it twice)' : '';
      throw new PortierError(
        'PORT_CLAIMED',
        `Port ${portId} (${port.label}) is already claimed by plugin "${held.claim.owner}" for "${held.claim.purpose}"${same}; ` +
          `"${owner}" cannot claim it for "${purpose}". Free it in "${held.claim.owner}" first.`,
      );
    }
    const handle = this.createHandle(port, request.guard);
    this.held.set(portId, { claim: { owner, purpose }, handle });
    return handle as unknown as PortHandles[K];
  }

  release(owner: string, portId: string): void {
    const held = this.held.get(portId);
    if (held === undefined || held.claim.owner !== owner) return;
    held.handle?.release();
    this.held.delete(portId);
  }

  releaseAll(owner: string): void {
    for (const [portId, held] of [...this.held]) {
      if (held.claim.owner === owner) this.release(owner, portId);
    }
  }

  private createHandle(port: PortInfo, guard: ListenerGuard): AnyPortHandle {
    switch (port.kind) {
      case 'relay':
        return new RelayHandle(port.id, this.driver, guard, this.relayNormalStates.get(port.id) ?? 'fail-secure', (state) =>
          this.relayNormalStates.set(port.id, state),
        );
      case 'io':
        return new IoHandle(port.id, this.driver, guard);
      case 'control-button':
      case 'call-button':
        return new ButtonHandle(port.id, port.kind, this.driver, guard);
      case 'status-led':
        return new StatusLedHandle(port.id, this.driver, guard);
      case 'pir':
        return new PirHandle(port.id, this.driver, guard);
      case 'light-sensor':
        return new LightSensorHandle(port.id, this.driver, guard);
      case 'rfid-reader':
        return new RfidReaderHandle(port.id, this.driver, guard);
      case 'reader-connector':
        return new ReaderConnectorHandle(port.id, this.driver, guard);
      case 'microphone':
        return new MicrophoneHandle(port.id, this.driver, guard);
      case 'speaker':
        return new SpeakerHandle(port.id, this.driver, guard);
      default:
        throw new PortierError(
          'PORT_DRIVER_MISSING',
          `Port ${port.id} (${port.kind}) has no driver in this version yet; it cannot be claimed.`,
        );
    }
  }
}
