/**
 * The intercom's card reader as an OSDP peripheral device (PD): it reads
 * commands from the access control unit (ACU) off the byte stream and answers
 * each one addressed to it with exactly one reply (SIA OSDP v2.2 §5 "Channel
 * access": only the ACU speaks first).
 *
 * Per frame, in order:
 *   1. framing and check characters (frame-reader.ts); a bad CRC or a length
 *      over the buffer, addressed to this PD, gets NAK 0x01 / 0x02;
 *   2. address: ours or broadcast 0x7F, and not a reply (bit 7) — else silence;
 *   3. osdp_BUSY (sequence 0, in the clear; §7.18) when the host says so;
 *   4. sequence number (sequence-tracker.ts): reset / repeat → last reply again
 *      / out of order → NAK 0x04;
 *   5. security (Annex D): handshake blocks SCS_11/SCS_13, MAC check and
 *      decryption for SCS_15/SCS_17 (bad MAC → session dropped, NAK 0x06),
 *      plain commands refused inside a session or when a session is required;
 *   6. the command itself (§6), its reply (§7), sealed SCS_16/SCS_18 when the
 *      command came in a session;
 *   7. the reply is transmitted, then the host hears about it (events), so a
 *      new baud rate from osdp_COMSET is applied after osdp_COM went out.
 *
 * Nothing a peer sends makes `receive` throw or hold more than one frame
 * buffer, one last reply and a bounded report queue.
 */
import { randomBytes } from 'node:crypto';

import { decodeBuzzerCommands, decodeComSet, decodeKeySet, decodeLedCommands, type BuzzerCommand, type LedCommand } from './command-decoding.js';
import { BROADCAST_ADDRESS, Command, MAX_PD_ADDRESS, NakReason, Reply, SecurityBlock } from './codes.js';
import { encodeFrame, type OsdpFrame, type SecurityControlBlock } from './frame.js';
import { FrameReader, type FrameReaderEvent } from './frame-reader.js';
import { TypedEmitter, type Listener, type OsdpPeripheralEvents } from './peripheral-events.js';
import {
  encodeCcrypt,
  encodeCom,
  encodeKeypad,
  encodePdcap,
  encodePdid,
  encodeRawCard,
  encodeStates,
  type Capability,
  type CardRead,
  type PdIdentity,
} from './reply-encoding.js';
import { SecureSession } from './secure-session.js';
import { SequenceTracker } from './sequence-tracker.js';
import { SCBK_D } from './session-keys.js';

/** Baud rates osdp_COMSET may ask for (libosdp doc/protocol/introduction.rst, "Signaling"). */
export const BAUD_RATES: readonly number[] = [9600, 19200, 38400, 57600, 115200, 230400];

/**
 * Commands a PD that requires a secure channel still takes in the clear, to be
 * found, configured and to set up the session (SIA OSDP v2.2.1, as quoted in
 * bytedreamer/OSDP.Net issue 169).
 */
const PLAIN_WHEN_SECURE_REQUIRED: ReadonlySet<number> = new Set([Command.ID, Command.CAP, Command.COMSET, Command.CHLNG, Command.SCRYPT]);

export interface OsdpPeripheralOptions {
  /** 0x00–0x7E. */
  address: number;
  /** Reported in osdp_COM until osdp_COMSET changes it. Default 9600. */
  baudRate?: number;
  identity: PdIdentity;
  /**
   * What this reader offers, for osdp_PDCAP (Annex B). Default: card data as
   * bits, one LED with timed tri-colour control, one timed buzzer. The PD adds
   * CRC-16 support, AES-128 secure channel with the default key, and its
   * receive buffer size itself.
   */
  capabilities?: readonly Capability[];
  /** Number of inputs reported by osdp_ISTATR (default 0). */
  inputs?: number;
  /** Number of outputs reported by osdp_OSTATR (default 0). */
  outputs?: number;
  /** This PD's secure channel base key (16 bytes), once it has one. */
  scbk?: Uint8Array;
  /** Accept sessions on SCBK-D. Default: true when no SCBK is given; osdp_KEYSET ends it. */
  installMode?: boolean;
  /** NAK 0x06 every command but ID, CAP, COMSET and the handshake outside a session. */
  requireSecureChannel?: boolean;
  /** cUID sent in osdp_CCRYPT (8 bytes). Default: vendor code, model, serial number. */
  clientUid?: Uint8Array;
  /** Writes a reply to the bus. Called once per reply, before the matching events. */
  transmit: (bytes: Uint8Array) => void;
  /** Largest frame accepted (and advertised); default 1440. */
  maxFrameLength?: number;
  /** Card reads and keypad entries waiting for an osdp_POLL; default 16. */
  maxQueuedReports?: number;
  /** A card read older than this when the ACU finally polls is dropped, not reported; default 10 s. */
  reportMaxAgeMs?: number;
  /** No valid command for this long: offline, session dropped (see tick); default 8 s. */
  offlineTimeoutMs?: number;
  /** A gap this long inside a frame discards it (inter-character timeout, nominal 20 ms). */
  interCharacterTimeoutMs?: number;
  /** When it returns true, commands are answered with osdp_BUSY. */
  isBusy?: () => boolean;
  random?: (size: number) => Uint8Array;
  now?: () => number;
  /** A listener threw; the protocol carries on. Default: console.error. */
  onListenerError?: (error: unknown, event: string) => void;
}

interface QueuedReport {
  code: number;
  data: Uint8Array;
  at: number;
}

/** What a command produced: the reply and what to tell the host once it is sent. */
interface Outcome {
  code: number;
  data?: Uint8Array;
  /** Handshake replies carry their own security block (SCS_12, SCS_14). */
  securityBlock?: SecurityControlBlock;
  /** Send outside the session even if the command came inside it. */
  plain?: boolean;
  after?: () => void;
}

const DEFAULT_CAPABILITIES: readonly Capability[] = [
  { functionCode: 3, compliance: 1, count: 0 },
  { functionCode: 4, compliance: 4, count: 1 },
  { functionCode: 5, compliance: 2, count: 1 },
];

function nak(reason: number): Outcome {
  return { code: Reply.NAK, data: Uint8Array.of(reason) };
}

function checkKey(name: string, key: Uint8Array | undefined, length: number): void {
  if (key !== undefined && key.length !== length) throw new RangeError(`${name} must be ${length} bytes`);
}

export class OsdpPeripheral {
  private addressValue: number;
  private baudRateValue: number;
  private scbk: Uint8Array | null;
  private installModeValue: boolean;
  private readonly options: OsdpPeripheralOptions;
  private readonly reader: FrameReader;
  private readonly session = new SecureSession();
  private readonly sequence = new SequenceTracker();
  private readonly emitter: TypedEmitter<OsdpPeripheralEvents>;
  private readonly clientUid: Uint8Array;
  private readonly capabilities: readonly Capability[];
  private readonly reports: QueuedReport[] = [];
  private readonly now: () => number;
  private readonly random: (size: number) => Uint8Array;
  private lastReply: Uint8Array | null = null;
  private lastByteAt = -Infinity;
  private lastCommandAt = -Infinity;
  private onlineValue = false;
  private tamper = false;
  private powerFailure = false;
  private inputStates: boolean[];
  private outputStates: boolean[];

  constructor(options: OsdpPeripheralOptions) {
    const { address } = options;
    if (!Number.isInteger(address) || address < 0 || address > MAX_PD_ADDRESS) throw new RangeError(`PD address must be 0–${MAX_PD_ADDRESS}`);
    checkKey('scbk', options.scbk, 16);
    checkKey('clientUid', options.clientUid, 8);
    this.options = options;
    this.addressValue = address;
    this.baudRateValue = options.baudRate ?? 9600;
    this.scbk = options.scbk ? options.scbk.slice() : null;
    this.installModeValue = options.installMode ?? !options.scbk;
    this.reader = new FrameReader({ maxFrameLength: options.maxFrameLength });
    this.now = options.now ?? Date.now;
    this.random = options.random ?? ((size) => new Uint8Array(randomBytes(size)));
    this.emitter = new TypedEmitter<OsdpPeripheralEvents>(
      options.onListenerError ?? ((error, event) => console.error(`OSDP PD: a '${String(event)}' listener failed`, error)),
    );
    const { identity } = options;
    this.clientUid = options.clientUid?.slice() ?? Uint8Array.of(
      identity.vendorCode & 0xff, (identity.vendorCode >> 8) & 0xff, (identity.vendorCode >> 16) & 0xff, identity.model & 0xff,
      identity.serialNumber & 0xff, (identity.serialNumber >> 8) & 0xff, (identity.serialNumber >> 16) & 0xff, (identity.serialNumber >>> 24) & 0xff,
    );
    this.inputStates = new Array<boolean>(options.inputs ?? 0).fill(false);
    this.outputStates = new Array<boolean>(options.outputs ?? 0).fill(false);
    const implicit: Capability[] = [
      { functionCode: 8, compliance: 1, count: 0 }, // CRC-16 supported
      { functionCode: 9, compliance: 1, count: 1 }, // AES-128; default key (SCBK-D) supported
      { functionCode: 10, compliance: this.reader.maxFrameLength & 0xff, count: this.reader.maxFrameLength >> 8 },
    ];
    const counted: Capability[] = [];
    if (this.inputStates.length) counted.push({ functionCode: 1, compliance: 1, count: this.inputStates.length });
    if (this.outputStates.length) counted.push({ functionCode: 2, compliance: 1, count: this.outputStates.length });
    const own = new Set(implicit.map((c) => c.functionCode));
    this.capabilities = [...counted, ...(options.capabilities ?? DEFAULT_CAPABILITIES).filter((c) => !own.has(c.functionCode)), ...implicit]
      .sort((a, b) => a.functionCode - b.functionCode);
  }

  get address(): number {
    return this.addressValue;
  }

  get baudRate(): number {
    return this.baudRateValue;
  }

  get online(): boolean {
    return this.onlineValue;
  }

  get installMode(): boolean {
    return this.installModeValue;
  }

  get secureChannelActive(): boolean {
    return this.session.active;
  }

  get queuedReports(): number {
    return this.reports.length;
  }

  /** Bytes of a partly received frame (bounded by maxFrameLength). */
  get bufferedBytes(): number {
    return this.reader.bufferedBytes;
  }

  get maxFrameLength(): number {
    return this.reader.maxFrameLength;
  }

  on<K extends keyof OsdpPeripheralEvents>(event: K, listener: Listener<OsdpPeripheralEvents[K]>): () => void {
    return this.emitter.on(event, listener);
  }

  /** Queues a card read for the next osdp_POLL (osdp_RAW). False when the queue is full. */
  presentCard(card: CardRead): boolean {
    return this.enqueue(Reply.RAW, encodeRawCard(card));
  }

  /** Queues keys typed on the display for the next osdp_POLL (osdp_KEYPAD). False when the queue is full. */
  keypad(digits: string, reader = 0): boolean {
    return this.enqueue(Reply.KEYPAD, encodeKeypad(digits, reader));
  }

  /** What osdp_LSTATR reports. */
  setLocalStatus(status: { tamper?: boolean; powerFailure?: boolean }): void {
    this.tamper = status.tamper ?? this.tamper;
    this.powerFailure = status.powerFailure ?? this.powerFailure;
  }

  /** What osdp_ISTATR reports, one entry per input. */
  setInputs(states: readonly boolean[]): void {
    this.inputStates = this.inputStates.map((_, i) => states[i] ?? false);
  }

  /** What osdp_OSTATR reports, one entry per output. */
  setOutputs(states: readonly boolean[]): void {
    this.outputStates = this.outputStates.map((_, i) => states[i] ?? false);
  }

  /**
   * Call periodically: after `offlineTimeoutMs` without a valid command the PD
   * is offline and its secure channel session ends. Default 8 s: the
   * off-line time of OSDP v2.1.7 and v2.2 (as cited in goToMain/libosdp
   * issue 140; libosdp itself uses shorter PD timeouts).
   */
  tick(): void {
    if (!this.onlineValue) return;
    if (this.now() - this.lastCommandAt <= (this.options.offlineTimeoutMs ?? 8000)) return;
    this.onlineValue = false;
    this.endSession();
    this.emitter.emit('offline', { address: this.addressValue });
  }

  /** Feeds bytes from the bus; replies go out through `transmit`. */
  receive(chunk: Uint8Array): void {
    const now = this.now();
    if (this.reader.bufferedBytes > 0 && now - this.lastByteAt > (this.options.interCharacterTimeoutMs ?? 20)) this.reader.reset();
    this.lastByteAt = now;
    for (const event of this.reader.push(chunk)) {
      if (event.kind === 'frame') this.handleFrame(event.frame);
      else this.handleMalformed(event);
    }
  }

  private enqueue(code: number, data: Uint8Array): boolean {
    if (this.reports.length >= (this.options.maxQueuedReports ?? 16)) return false;
    this.reports.push({ code, data, at: this.now() });
    return true;
  }

  private addressedToUs(address: number): boolean {
    return address === this.addressValue || address === BROADCAST_ADDRESS;
  }

  private handleMalformed(event: Extract<FrameReaderEvent, { kind: 'malformed' }>): void {
    const { header, reason } = event;
    this.emitter.emit('frameError', { reason, address: header ? header.address : null });
    // Answer only what looks meant for us. Reserved CTRL bits mean it was never a frame; a truncated
    // candidate is followed by the complete frame the ACU actually sent, which gets the answer.
    if (!header || header.reply || !this.addressedToUs(header.address) || reason === 'bad-control' || reason === 'truncated') return;
    const code = reason === 'bad-check' ? NakReason.CHECK_CHARACTER : NakReason.COMMAND_LENGTH;
    this.options.transmit(this.plainReply(header.sequence, header.crc, nak(code)));
  }

  private handleFrame(frame: OsdpFrame): void {
    if (frame.reply || !this.addressedToUs(frame.address)) return;
    this.lastCommandAt = this.now();
    if (!this.onlineValue) {
      this.onlineValue = true;
      this.emitter.emit('online', { address: this.addressValue });
    }

    if (this.options.isBusy?.()) {
      // Not remembered and nothing changes: the ACU will simply send the command again.
      this.options.transmit(this.plainReply(0, frame.crc, { code: Reply.BUSY }));
      return;
    }

    switch (this.sequence.classify(frame.sequence)) {
      case 'repeat':
        if (this.lastReply) {
          this.options.transmit(this.lastReply);
          return;
        }
        this.options.transmit(this.plainReply(frame.sequence, frame.crc, nak(NakReason.SEQUENCE)));
        return;
      case 'unexpected':
        this.options.transmit(this.plainReply(frame.sequence, frame.crc, nak(NakReason.SEQUENCE)));
        return;
      case 'reset':
        this.sequence.reset();
        this.lastReply = null;
        this.endSession();
        break;
      case 'next':
        break;
    }

    const { outcome, sealed } = this.process(frame);
    const reply = sealed && !outcome.plain && this.session.active
      ? this.session.seal({ address: this.addressValue, reply: true, sequence: frame.sequence, crc: frame.crc, code: outcome.code, data: outcome.data })
      : this.plainReply(frame.sequence, frame.crc, outcome);
    this.lastReply = reply;
    this.sequence.answered(frame.sequence);
    this.options.transmit(reply);
    outcome.after?.();
  }

  /** Security checks, then the command. `sealed`: the command came inside the session, so the reply goes back inside it. */
  private process(frame: OsdpFrame): { outcome: Outcome; sealed: boolean } {
    const block = frame.securityBlock;
    if (block) {
      switch (block.type) {
        case SecurityBlock.SCS_11:
        case SecurityBlock.SCS_13: {
          // Handshake blocks belong to their handshake command and nothing else.
          const expected = block.type === SecurityBlock.SCS_11 ? Command.CHLNG : Command.SCRYPT;
          if (frame.code !== expected) return { outcome: nak(NakReason.UNSUPPORTED_SECURITY_BLOCK), sealed: false };
          return { outcome: this.execute(frame.code, frame.data, block, false), sealed: false };
        }
        case SecurityBlock.SCS_15:
        case SecurityBlock.SCS_17: {
          if (!this.session.active) return { outcome: nak(NakReason.SECURE_CHANNEL_REQUIRED), sealed: false };
          const data = this.session.open(frame);
          if (!data) {
            // A MAC that does not verify (or data that does not decrypt) ends the session (Annex D).
            this.endSession();
            return { outcome: nak(NakReason.SECURE_CHANNEL_REQUIRED), sealed: false };
          }
          return { outcome: this.execute(frame.code, data, block, true), sealed: true };
        }
        default:
          return { outcome: nak(NakReason.UNSUPPORTED_SECURITY_BLOCK), sealed: false };
      }
    }
    // Plain commands may not be mixed into a session (SIA OSDP v2.2.1 D.7 as quoted in OSDP.Net issue 169); a new handshake may.
    if (this.session.active && frame.code !== Command.CHLNG) return { outcome: nak(NakReason.SECURE_CHANNEL_REQUIRED), sealed: false };
    if (this.options.requireSecureChannel && !PLAIN_WHEN_SECURE_REQUIRED.has(frame.code)) {
      return { outcome: nak(NakReason.SECURE_CHANNEL_REQUIRED), sealed: false };
    }
    return { outcome: this.execute(frame.code, frame.data, null, false), sealed: false };
  }

  private execute(code: number, data: Uint8Array, block: SecurityControlBlock | null, secure: boolean): Outcome {
    switch (code) {
      case Command.POLL:
        return data.length === 0 ? this.poll() : nak(NakReason.COMMAND_LENGTH);
      case Command.ID:
        return data.length === 1 ? { code: Reply.PDID, data: encodePdid(this.options.identity) } : nak(NakReason.COMMAND_LENGTH);
      case Command.CAP:
        return data.length === 1 ? { code: Reply.PDCAP, data: encodePdcap(this.capabilities) } : nak(NakReason.COMMAND_LENGTH);
      case Command.LSTAT:
        return data.length === 0 ? { code: Reply.LSTATR, data: Uint8Array.of(this.tamper ? 1 : 0, this.powerFailure ? 1 : 0) } : nak(NakReason.COMMAND_LENGTH);
      case Command.ISTAT:
        return data.length === 0 ? { code: Reply.ISTATR, data: encodeStates(this.inputStates) } : nak(NakReason.COMMAND_LENGTH);
      case Command.OSTAT:
        return data.length === 0 ? { code: Reply.OSTATR, data: encodeStates(this.outputStates) } : nak(NakReason.COMMAND_LENGTH);
      case Command.LED:
        return this.acknowledge(decodeLedCommands(data), (records: LedCommand[]) => records.forEach((r) => this.emitter.emit('led', r)));
      case Command.BUZ:
        return this.acknowledge(decodeBuzzerCommands(data), (records: BuzzerCommand[]) => records.forEach((r) => this.emitter.emit('buzzer', r)));
      case Command.COMSET:
        return this.comset(data);
      case Command.KEYSET:
        return this.keyset(data, secure);
      case Command.CHLNG:
        return this.challenge(data, block);
      case Command.SCRYPT:
        return this.serverCryptogram(data, block);
      default:
        return nak(NakReason.UNKNOWN_COMMAND);
    }
  }

  private acknowledge<T>(records: T | null, after: (records: T) => void): Outcome {
    if (records === null) return nak(NakReason.COMMAND_LENGTH);
    return { code: Reply.ACK, after: () => after(records) };
  }

  /** osdp_POLL (§6.1): the oldest report still fresh, else ACK. */
  private poll(): Outcome {
    const oldest = this.now() - (this.options.reportMaxAgeMs ?? 10_000);
    while (this.reports.length) {
      const report = this.reports.shift()!;
      if (report.at >= oldest) return { code: report.code, data: report.data };
    }
    return { code: Reply.ACK };
  }

  /** osdp_COMSET: answer osdp_COM with the settings the PD will use; switch after the reply went out. */
  private comset(data: Uint8Array): Outcome {
    const request = decodeComSet(data);
    if (!request) return nak(NakReason.COMMAND_LENGTH);
    if (request.address > MAX_PD_ADDRESS || !BAUD_RATES.includes(request.baudRate)) {
      return { code: Reply.COM, data: encodeCom(this.addressValue, this.baudRateValue) };
    }
    return {
      code: Reply.COM,
      data: encodeCom(request.address, request.baudRate),
      after: () => {
        this.addressValue = request.address;
        this.baudRateValue = request.baudRate;
        this.emitter.emit('comset', request);
      },
    };
  }

  /** osdp_KEYSET: a new SCBK, only over a secure channel; used from the next session. */
  private keyset(data: Uint8Array, secure: boolean): Outcome {
    if (!secure) return nak(NakReason.SECURE_CHANNEL_REQUIRED);
    const request = decodeKeySet(data);
    if (!request) return nak(NakReason.COMMAND_LENGTH);
    if (request.keyType !== 0x01 || request.key.length !== 16) return nak(NakReason.UNABLE_TO_PROCESS);
    return {
      code: Reply.ACK,
      after: () => {
        this.scbk = request.key.slice();
        this.installModeValue = false;
        this.emitter.emit('keyset', { keyType: request.keyType, key: request.key.slice() });
      },
    };
  }

  /**
   * osdp_CHLNG with SCS_11 (Annex D.4): the key indicator in the block says
   * which key the ACU uses — 0x00 SCBK-D (install mode only), 0x01 the SCBK.
   */
  private challenge(data: Uint8Array, block: SecurityControlBlock | null): Outcome {
    if (block?.type !== SecurityBlock.SCS_11) return nak(NakReason.SECURE_CHANNEL_REQUIRED);
    if (data.length !== 8) return nak(NakReason.COMMAND_LENGTH);
    const wasActive = this.session.active;
    const defaultKey = block.data[0] === 0x00;
    const key = defaultKey ? (this.installModeValue ? SCBK_D : null) : this.scbk;
    if (!key) {
      this.endSession();
      return nak(NakReason.SECURE_CHANNEL_REQUIRED);
    }
    const rndB = this.random(8);
    const { clientCryptogram } = this.session.begin(key, defaultKey, data, rndB);
    return {
      code: Reply.CCRYPT,
      data: encodeCcrypt(this.clientUid, rndB, clientCryptogram),
      securityBlock: { type: SecurityBlock.SCS_12, data: Uint8Array.of(defaultKey ? 0x00 : 0x01) },
      after: wasActive ? () => this.emitter.emit('secureChannel', { active: false, defaultKey: false }) : undefined,
    };
  }

  /** osdp_SCRYPT with SCS_13: the ACU proves it holds the key; the PD answers with R-MAC-I and the session is on. */
  private serverCryptogram(data: Uint8Array, block: SecurityControlBlock | null): Outcome {
    if (block?.type !== SecurityBlock.SCS_13) return nak(NakReason.SECURE_CHANNEL_REQUIRED);
    if (data.length !== 16) return nak(NakReason.COMMAND_LENGTH);
    const defaultKey = this.session.usesDefaultKey;
    const rmacI = this.session.confirm(data);
    if (!rmacI) return nak(NakReason.SECURE_CHANNEL_REQUIRED);
    return {
      code: Reply.RMAC_I,
      data: rmacI.slice(),
      securityBlock: { type: SecurityBlock.SCS_14, data: Uint8Array.of(0x01) },
      after: () => this.emitter.emit('secureChannel', { active: true, defaultKey }),
    };
  }

  private endSession(): void {
    const wasActive = this.session.active;
    const defaultKey = this.session.usesDefaultKey;
    this.session.drop();
    if (wasActive) this.emitter.emit('secureChannel', { active: false, defaultKey });
  }

  private plainReply(sequence: number, crc: boolean, outcome: Outcome): Uint8Array {
    return encodeFrame({
      address: this.addressValue,
      reply: true,
      sequence,
      crc,
      securityBlock: outcome.securityBlock ?? null,
      code: outcome.code,
      data: outcome.data,
    });
  }
}
