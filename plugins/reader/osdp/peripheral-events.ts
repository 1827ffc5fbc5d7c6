/**
 * What the PD tells its host application, as a small typed emitter: the
 * commands the host must act on (LED, buzzer, new address or baud rate, new
 * key) and the link's state. Node's EventEmitter would lose the payload types
 * and would let a throwing listener escape into the byte-stream handler; here
 * a listener's error goes to an error callback and the protocol carries on.
 */
import type { BuzzerCommand, ComSetCommand, LedCommand } from './command-decoding.js';
import type { MalformedReason } from './frame.js';

export interface OsdpPeripheralEvents {
  /** osdp_LED, one event per LED record, after the ACK was sent. */
  led: LedCommand;
  /** osdp_BUZ, one event per record, after the ACK was sent. */
  buzzer: BuzzerCommand;
  /** osdp_COMSET accepted: osdp_COM went out on the old settings; store these and use them from now on. */
  comset: ComSetCommand;
  /** osdp_KEYSET inside a secure channel: store this SCBK; it is used from the next session. Install mode is over. */
  keyset: { keyType: number; key: Uint8Array };
  /** A valid command addressed to this PD arrived while it was offline. */
  online: { address: number };
  /** No valid command for the offline timeout (see OsdpPeripheral.tick). */
  offline: { address: number };
  /** A secure channel session started or ended. */
  secureChannel: { active: boolean; defaultKey: boolean };
  /** The frame reader refused a candidate frame (noise, a bad CRC…). */
  frameError: { reason: MalformedReason; address: number | null };
}

export type Listener<T> = (payload: T) => void;

export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (error: unknown, event: keyof Events) => void) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      set.delete(listener as Listener<never>);
    };
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}
