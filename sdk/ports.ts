/**
 * Hardware ports. Ports are claimed, not shared: a plugin claims a port with a
 * purpose, and a second claim fails with an error that names the holder.
 * The manifest's `hardware` lists the kinds of port a plugin may claim.
 */
export const PORT_KINDS = [
  'relay',
  'io',
  'reader-connector',
  'audio-in',
  'audio-out',
  'speaker',
  'microphone',
  'display',
  'rfid-reader',
  'pir',
  'light-sensor',
  'control-button',
  'call-button',
  'status-led',
] as const;
export type PortKind = (typeof PORT_KINDS)[number];

/** What the board says about a port, whoever holds it. */
export interface PortInfo {
  id: string;
  kind: PortKind;
  label: string;
  description: string;
}

export interface PortClaim {
  owner: string;
  purpose: string;
}

export type Unsubscribe = () => void;

/**
 * How a relay behaves without power. A fail-secure lock stays locked without
 * power, so its relay is open at rest and closes to unlock; a fail-safe lock
 * needs power to stay locked, so its relay is closed at rest and opens to unlock.
 */
export type RelayNormalState = 'fail-secure' | 'fail-safe';

/** A solid-state relay. `active` is the logical state (door unlocked). */
export interface RelayPort {
  readonly id: string;
  readonly kind: 'relay';
  readonly active: boolean;
  readonly normalState: RelayNormalState;
  /** Whether the relay contact is closed right now, after the normal state is applied. */
  readonly contactClosed: boolean;
  setNormalState(state: RelayNormalState): void;
  set(active: boolean): void;
  onChange(listener: (active: boolean) => void): Unsubscribe;
}

/**
 * The electrical level at rest of a configurable I/O: `open` (floating) or
 * `grounded` (connected to pin 1). The port is active when it is not at rest.
 */
export type IoNormalState = 'open' | 'grounded';
export type IoDirection = 'input' | 'output';

export interface IoPort {
  readonly id: string;
  readonly kind: 'io';
  readonly direction: IoDirection;
  readonly normalState: IoNormalState;
  readonly active: boolean;
  configure(options: { direction: IoDirection; normalState?: IoNormalState }): void;
  /** Drives an output; throws PORT_NOT_OUTPUT on an input. */
  set(active: boolean): void;
  onChange(listener: (active: boolean) => void): Unsubscribe;
}

export interface ButtonPort {
  readonly id: string;
  readonly kind: 'control-button' | 'call-button';
  readonly pressed: boolean;
  onChange(listener: (pressed: boolean) => void): Unsubscribe;
}

export type LedColor = 'off' | 'green' | 'red' | 'amber';

export interface StatusLedPort {
  readonly id: string;
  readonly kind: 'status-led';
  readonly color: LedColor;
  readonly flashing: boolean;
  set(color: LedColor, options?: { flashing?: boolean }): void;
}

export interface PirPort {
  readonly id: string;
  readonly kind: 'pir';
  readonly motion: boolean;
  onChange(listener: (motion: boolean) => void): Unsubscribe;
}

export interface LightSensorPort {
  readonly id: string;
  readonly kind: 'light-sensor';
  readonly lux: number;
  onChange(listener: (lux: number) => void): Unsubscribe;
}

/** The handle type a claim returns, by port kind. */
export interface PortHandles {
  relay: RelayPort;
  io: IoPort;
  'control-button': ButtonPort;
  'call-button': ButtonPort;
  'status-led': StatusLedPort;
  pir: PirPort;
  'light-sensor': LightSensorPort;
}

export type ClaimablePortKind = keyof PortHandles;

/** The plugin's view of the board: what exists, who holds what, and claims. */
export interface PortsApi {
  list(): (PortInfo & { claim?: PortClaim })[];
  /**
   * Claims a port for this plugin. Fails with PORT_CLAIMED naming the holder,
   * PORT_UNKNOWN, or PORT_KIND_NOT_DECLARED when the manifest's `hardware` does
   * not list the port's kind. Claims are released when the plugin stops.
   */
  claim<K extends ClaimablePortKind>(portId: string, kind: K, purpose: string): PortHandles[K];
  release(portId: string): void;
}
