import type { LedColor, PinEntry, PresentedCard, ReaderBeep, ReaderConnectorMode, Rs485BaudRate, Unsubscribe, WiegandPulse } from '../../sdk/ports.js';

/**
 * The reader connector as the driver sets it: a mode, or `off` (nothing
 * driven, nothing received) while no plugin holds it.
 */
export interface ReaderConnectorSetting {
  mode: ReaderConnectorMode | 'off';
  baudRate: Rs485BaudRate;
}

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

  // ---- RFID reader (and the display's PIN keypad) ---------------------

  /**
   * A card arrived in the reader's field. The driver's card reads its
   * protected data only while it is there (`present`), then rejects with CARD_GONE.
   */
  onCardPresented(portId: string, listener: (card: PresentedCard) => void): Unsubscribe;
  /** The card left the field; `present` is already false. */
  onCardRemoved(portId: string, listener: (card: PresentedCard) => void): Unsubscribe;
  /** A PIN typed on the display's keypad, delivered to the RFID reader port. */
  onPin(portId: string, listener: (pin: PinEntry) => void): Unsubscribe;
  setReaderLed(portId: string, color: LedColor): void;
  beepReader(portId: string, beep: ReaderBeep): void;

  // ---- reader connector ----------------------------------------------------

  /** Switches the connector; what the old mode still had queued is dropped. */
  configureReaderConnector(portId: string, setting: ReaderConnectorSetting): void;
  /** Queues one checked pulse train on D0/D1 (Wiegand mode). */
  sendWiegand(portId: string, pulses: readonly WiegandPulse[]): void;
  /** Writes bytes to the RS-485 line (RS-485 mode); the driver copies them. */
  writeRs485(portId: string, bytes: Uint8Array): void;
  /** Bytes from the RS-485 line, in chunks as they arrive (RS-485 mode only). */
  onRs485Data(portId: string, listener: (bytes: Uint8Array) => void): Unsubscribe;

  // ---- audio (16-bit PCM, 8 kHz mono, 20 ms frames) ---------------------

  /** Frames the microphone hears, every 20 ms while anyone listens. */
  onMicrophoneFrame(portId: string, listener: (samples: Int16Array) => void): Unsubscribe;
  /** Plays one checked frame on the speaker. */
  playSpeaker(portId: string, samples: Int16Array): void;

  close(): void;
}
