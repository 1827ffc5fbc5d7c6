import type { IoPort, LedColor, Logger, PortsApi, ReaderConnectorPort, Unsubscribe } from 'portier/sdk';
import type { ReaderConnection } from './reader-connection.js';
import type { ReaderFeedback } from './reader-feedback.js';
import type { WiegandSettings } from './reader-settings.js';
import {
  type AnyCardFormat,
  type PulseTiming,
  framesToPulseTrain,
  getCardFormat,
  getKeypressFormat,
  isWiegandError,
  resolvePulseTiming,
  toPulseTrain,
} from './wiegand/index.js';

/**
 * The reader as a Wiegand reader of a door controller (the manual's wired
 * example): cards and PINs go out on D0/D1 in the configured formats and
 * timing; the controller drives the reader's beeper and LED through I/O
 * inputs ("Input for beeper: I3", "Input for LED1: I1"). The connector and
 * those inputs are claimed, so an I/O another plugin holds (the io plugin
 * holds all four by default) fails with PORT_CLAIMED naming it, instead of
 * silently breaking that plugin's events as the manual warns.
 */
export class WiegandConnection implements ReaderConnection {
  readonly type = 'wiegand' as const;
  private readonly timing: PulseTiming;
  private readonly cardFormat: AnyCardFormat;
  private readonly claimed: string[] = [];
  private readonly unsubscribes: Unsubscribe[] = [];
  private sent = 0;

  private constructor(
    private readonly ports: PortsApi,
    private readonly connector: ReaderConnectorPort,
    private readonly settings: WiegandSettings,
    private readonly feedback: ReaderFeedback,
    private readonly logger: Logger,
  ) {
    this.timing = resolvePulseTiming({ pulseWidthMicros: settings.pulseWidthMicros, pulseIntervalMicros: settings.pulseIntervalMicros });
    this.cardFormat = getCardFormat(settings.cardFormat);
  }

  /** Claims the connector and the LED/beeper inputs; on a conflict gives back what it took and throws the claim's error. */
  static open(ports: PortsApi, connectorId: string, settings: WiegandSettings, feedback: ReaderFeedback, logger: Logger): WiegandConnection {
    const connector = ports.claim(connectorId, 'reader-connector', 'Wiegand output to the door controller');
    const connection = new WiegandConnection(ports, connector, settings, feedback, logger);
    connection.claimed.push(connectorId);
    try {
      connector.configure({ mode: 'wiegand' });
      connection.wireInputs();
    } catch (error) {
      connection.close();
      throw error;
    }
    return connection;
  }

  sendCard(credential: string): void {
    const frame = this.cardFrame(credential);
    this.send(toPulseTrain(frame, this.timing));
  }

  sendPin(digits: string): void {
    const format = getKeypressFormat(this.settings.keypressFormat);
    try {
      if (format.sends === 'each-key') {
        // A PIN typed on the display arrives whole; the controller assembles keys until #, so the PIN ends with one.
        const keys = digits.endsWith('#') ? digits : `${digits}#`;
        this.send(framesToPulseTrain(format.encodeKeys(keys), this.timing));
      } else {
        this.send(toPulseTrain(format.encodePin(digits.replace(/#$/, '')), this.timing));
      }
    } catch (error) {
      // A PIN the format cannot carry (26-bit PIN above 65535, a *) is not sent; say so rather than fail the reader.
      if (!isWiegandError(error)) throw error;
      // The codec's message quotes the PIN; a log is no place for one, so only the code and the length go there.
      this.logger.warn('PIN not sent over Wiegand', { code: error.code, format: this.settings.keypressFormat, digits: digits.replace(/#$/, '').length });
    }
  }

  status(): Record<string, unknown> {
    return {
      type: 'wiegand',
      cardFormat: this.settings.cardFormat,
      keypressFormat: this.settings.keypressFormat,
      ...this.timing,
      beeperInput: this.settings.beeper.enabled ? this.settings.beeper.input : null,
      ledInputs: this.ledInputs(),
      trainsSent: this.sent,
    };
  }

  close(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    for (const id of this.claimed.splice(0).reverse()) this.ports.release(id);
  }

  /**
   * The frame for a credential (hex). Facility formats carry the low bits of
   * the number: the card number field its lowest bits, the facility code the
   * bits above (so a 3-byte 125 kHz number 0x01_0203 is FC 1, card 515 in
   * H10301, as such readers send it). CSN formats carry the UID's last bytes,
   * zero-padded in front when it is shorter: the codec refuses other lengths,
   * and keeping the low bytes matches what the facility formats keep.
   */
  private cardFrame(credential: string): Uint8Array {
    const format = this.cardFormat;
    if (format.credentialKind === 'csn') {
      const digits = format.uidBytes * 2;
      return format.encode({ uid: credential.padStart(digits, '0').slice(-digits) });
    }
    const value = BigInt(`0x${credential}`);
    const cardSpan = BigInt(format.cardNumberMax) + 1n;
    const facilitySpan = BigInt(format.facilityCodeMax) + 1n;
    return format.encode({ cardNumber: Number(value % cardSpan), facilityCode: Number((value / cardSpan) % facilitySpan) });
  }

  private send(pulses: { line: 'D0' | 'D1'; atMicros: number; widthMicros: number }[]): void {
    this.connector.sendWiegand(pulses);
    this.sent += 1;
  }

  private ledInputs(): string[] {
    const { led } = this.settings;
    return [led.led1Input, led.led2Input].slice(0, led.inputs);
  }

  private claimInput(id: string, purpose: string): IoPort {
    const port = this.ports.claim(id, 'io', purpose);
    this.claimed.push(id);
    port.configure({ direction: 'input' });
    return port;
  }

  private wireInputs(): void {
    const { beeper, led } = this.settings;
    if (beeper.enabled) {
      const port = this.claimInput(beeper.input, 'Reader beeper, driven by the door controller');
      // The controller pulls the line while it wants a beep; each activation is one beep.
      this.unsubscribes.push(port.onChange((active) => active && this.feedback.beep('short')));
    }
    const inputs = this.ledInputs().map((id, i) => this.claimInput(id, `Reader LED${i + 1}, driven by the door controller`));
    if (inputs.length === 0) return;
    const colorNow = (): LedColor => {
      const [one, two] = inputs.map((port) => port.active);
      if (one && two) return led.colors.both;
      if (one) return led.colors.led1;
      if (two) return led.colors.led2;
      return led.colors.idle;
    };
    for (const port of inputs) this.unsubscribes.push(port.onChange(() => this.feedback.setResting(colorNow())));
    this.feedback.setResting(colorNow());
  }
}
