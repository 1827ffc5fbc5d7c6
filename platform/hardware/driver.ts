import type { LedColor, Unsubscribe } from '../../sdk/ports.js';

/**
 * What a hardware driver does, in electrical terms only: contacts closed or
 * open, lines grounded or floating. Logical meaning (active, normal state)
 * is applied above it by the port handles, so every driver gets it right.
 */
export interface HardwareDriver {
  readonly name: string;
  setRelayContact(portId: string, closed: boolean): void;
  configureIo(portId: string, direction: 'input' | 'output'): void;
  /** Drives an output line: grounded (connected to pin 1) or floating. */
  setIoOutput(portId: string, grounded: boolean): void;
  readIoInput(portId: string): boolean;
  onIoInput(portId: string, listener: (grounded: boolean) => void): Unsubscribe;
  readButton(portId: string): boolean;
  onButton(portId: string, listener: (pressed: boolean) => void): Unsubscribe;
  setStatusLed(portId: string, color: LedColor, flashing: boolean): void;
  readPir(portId: string): boolean;
  onPir(portId: string, listener: (motion: boolean) => void): Unsubscribe;
  readLight(portId: string): number;
  onLight(portId: string, listener: (lux: number) => void): Unsubscribe;
  close(): void;
}
