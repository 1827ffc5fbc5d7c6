/**
 * A test access control unit (ACU, the OSDP "control panel") written from the
 * specification: it drives a PD over a byte stream the way a door controller
 * does — sequence numbers 0, 1, 2, 3, 1 …, one command at a time, a reply
 * timeout, the secure channel handshake (Annex D.4) and MAC-chained,
 * encrypted commands (Annex D.5). Framing and crypto are its own
 * (acu-frames.ts, acu-crypto.ts), not the PD's.
 */
import type { ByteStream } from '../byte-stream.js';
import {
  acuClientCryptogram,
  acuDecrypt,
  acuEncrypt,
  acuInitialRmac,
  acuMac,
  acuServerCryptogram,
  acuSessionKeys,
  DEFAULT_KEY,
  type AcuKeys,
} from './acu-crypto.js';
import { buildCommand, parseReply, type ParsedReply } from './acu-frames.js';

export const CMD = {
  POLL: 0x60, ID: 0x61, CAP: 0x62, LSTAT: 0x64, ISTAT: 0x65, OSTAT: 0x66, LED: 0x69, BUZ: 0x6a, COMSET: 0x6e, KEYSET: 0x75, CHLNG: 0x76, SCRYPT: 0x77,
} as const;

export const REPLY = {
  ACK: 0x40, NAK: 0x41, PDID: 0x45, PDCAP: 0x46, LSTATR: 0x48, ISTATR: 0x49, OSTATR: 0x4a, RAW: 0x50, KEYPAD: 0x53, COM: 0x54, CCRYPT: 0x76, RMAC_I: 0x78, BUSY: 0x79,
} as const;

export interface AcuReply extends ParsedReply {
  /** Decrypted data for SCS_18; the wire data otherwise. */
  plain: Uint8Array;
  /** The reply came inside the session and its R-MAC verified. */
  authenticated: boolean;
}

interface Session {
  keys: AcuKeys;
  /** Last R-MAC received (R-MAC-I after the handshake). */
  rmac: Uint8Array;
  cuid: Uint8Array;
}

export interface TestControllerOptions {
  address: number;
  crc?: boolean;
  /** The PD must answer within 200 ms (SIA OSDP v2.2 §5 timing). */
  replyTimeoutMs?: number;
  random?: (size: number) => Uint8Array;
}

export class TestController {
  address: number;
  /** Sequence number of the next command. */
  sequence = 0;
  private session: Session | null = null;
  private last: { frame: Uint8Array; sequence: number; cmac: Uint8Array | null } | null = null;
  private received = new Uint8Array(0);
  private waiter: ((reply: ParsedReply) => void) | null = null;
  /** Every reply received, in order. */
  readonly replies: ParsedReply[] = [];
  private readonly crc: boolean;
  private readonly timeoutMs: number;
  private readonly random: (size: number) => Uint8Array;

  constructor(private readonly link: ByteStream, options: TestControllerOptions) {
    this.address = options.address;
    this.crc = options.crc ?? true;
    this.timeoutMs = options.replyTimeoutMs ?? 200;
    this.random = options.random ?? ((size) => Uint8Array.from({ length: size }, (_, i) => (i * 37 + 11) & 0xff));
    link.onData((chunk) => this.onData(chunk));
  }

  get secure(): boolean {
    return this.session !== null;
  }

  /** Forget the session and start the sequence over at 0 (what an ACU does after an error). */
  restart(): void {
    this.session = null;
    this.sequence = 0;
  }

  /** Sends bytes as they are and waits for one reply (null on silence). */
  async sendRaw(bytes: Uint8Array, timeoutMs = this.timeoutMs): Promise<ParsedReply | null> {
    const pending = this.nextReply(timeoutMs);
    this.link.write(bytes);
    return pending;
  }

  /**
   * Sends one command and returns the verified reply. Inside a session the
   * command goes as SCS_17 (encrypted) when it has data, SCS_15 otherwise, and
   * the reply's R-MAC is checked. Advances the sequence number unless the PD
   * answered osdp_BUSY.
   */
  async command(code: number, data: Uint8Array = new Uint8Array(0), options: { encrypt?: boolean; sequence?: number; corruptMac?: boolean } = {}): Promise<AcuReply> {
    const sequence = options.sequence ?? this.sequence;
    const session = this.session;
    let frame: Uint8Array;
    let cmac: Uint8Array | null = null;
    if (session) {
      const encrypt = (options.encrypt ?? true) && data.length > 0;
      frame = buildCommand({
        address: this.address,
        sequence,
        crc: this.crc,
        scb: [2, encrypt ? 0x17 : 0x15],
        code,
        data: encrypt ? acuEncrypt(session.keys, session.rmac, data) : data,
        mac: (covered) => {
          cmac = acuMac(session.keys, session.rmac, covered);
          return options.corruptMac ? cmac.map((byte, i) => (i === 0 ? byte ^ 0x01 : byte)) : cmac;
        },
      });
    } else {
      frame = buildCommand({ address: this.address, sequence, crc: this.crc, code, data });
    }
    this.last = { frame, sequence, cmac };
    const reply = await this.sendRaw(frame);
    if (!reply) throw new Error(`no reply to command 0x${code.toString(16)} (sequence ${sequence})`);
    return this.accept(reply, sequence, cmac);
  }

  /** Sends the last command again, byte for byte — what an ACU does when a reply was lost. */
  async resendLast(): Promise<AcuReply> {
    if (!this.last) throw new Error('nothing sent yet');
    const { frame, sequence, cmac } = this.last;
    const reply = await this.sendRaw(frame);
    if (!reply) throw new Error('no reply to the resent command');
    return this.accept(reply, sequence, cmac);
  }

  private accept(reply: ParsedReply, sequence: number, cmac: Uint8Array | null): AcuReply {
    if (reply.address !== this.address) throw new Error(`reply from address ${reply.address}, expected ${this.address}`);
    if (reply.code === REPLY.BUSY) {
      if (reply.sequence !== 0) throw new Error('osdp_BUSY must carry sequence number 0');
      return { ...reply, plain: reply.data, authenticated: false };
    }
    if (reply.sequence !== sequence) throw new Error(`reply sequence ${reply.sequence}, expected ${sequence}`);
    this.sequence = sequence === 3 ? 1 : sequence + 1;
    const session = this.session;
    if (reply.scbType === 0x16 || reply.scbType === 0x18) {
      if (!session || !cmac || !reply.mac) throw new Error('secure reply outside a session');
      const rmac = acuMac(session.keys, cmac, reply.covered);
      if (!Buffer.from(rmac.slice(0, 4)).equals(Buffer.from(reply.mac))) throw new Error('reply R-MAC does not verify');
      const plain = reply.scbType === 0x18 ? acuDecrypt(session.keys, cmac, reply.data) : reply.data;
      session.rmac = rmac;
      return { ...reply, plain, authenticated: true };
    }
    // A plain reply to a session command means the PD dropped the session.
    if (session && cmac) this.session = null;
    return { ...reply, plain: reply.data, authenticated: false };
  }

  async poll(): Promise<AcuReply> {
    return this.command(CMD.POLL);
  }

  async id(): Promise<AcuReply> {
    return this.command(CMD.ID, Uint8Array.of(0));
  }

  async cap(): Promise<AcuReply> {
    return this.command(CMD.CAP, Uint8Array.of(0));
  }

  /** osdp_LED, one record: temporary flash for `timer`×100 ms, permanent colour. */
  async led(record: { reader?: number; led?: number; onColor: number; offColor?: number; onTime?: number; offTime?: number; timer?: number; permanentColor?: number }): Promise<AcuReply> {
    const timer = record.timer ?? 0;
    return this.command(CMD.LED, Uint8Array.of(
      record.reader ?? 0, record.led ?? 0,
      timer ? 2 : 0, record.onTime ?? 5, record.offTime ?? 5, record.onColor, record.offColor ?? 0, timer & 0xff, timer >> 8,
      record.permanentColor === undefined ? 0 : 1, 1, 0, record.permanentColor ?? 0, 0,
    ));
  }

  async buzzer(record: { reader?: number; tone?: number; onTime: number; offTime: number; count: number }): Promise<AcuReply> {
    return this.command(CMD.BUZ, Uint8Array.of(record.reader ?? 0, record.tone ?? 2, record.onTime, record.offTime, record.count));
  }

  async comset(address: number, baudRate: number): Promise<AcuReply> {
    const reply = await this.command(CMD.COMSET, Uint8Array.of(address, baudRate & 0xff, (baudRate >> 8) & 0xff, (baudRate >> 16) & 0xff, baudRate >>> 24));
    if (reply.code === REPLY.COM) this.address = reply.plain[0]!;
    return reply;
  }

  async keyset(key: Uint8Array): Promise<AcuReply> {
    return this.command(CMD.KEYSET, Uint8Array.from([0x01, key.length, ...key]));
  }

  /**
   * The handshake (Annex D.4): CHLNG with RND.A and the key indicator (0x00
   * SCBK-D, 0x01 SCBK), check the PD's cUID/RND.B/client cryptogram, answer
   * SCRYPT with the server cryptogram, check R-MAC-I against our own.
   */
  async establishSecureChannel(options: { scbk?: Uint8Array; defaultKey?: boolean; rndA?: Uint8Array } = {}): Promise<{ cuid: Uint8Array }> {
    const defaultKey = options.defaultKey ?? !options.scbk;
    const scbk = defaultKey ? DEFAULT_KEY : options.scbk!;
    const rndA = options.rndA ?? this.random(8);
    this.session = null;

    const chlng = await this.handshakeStep(CMD.CHLNG, 0x11, defaultKey, rndA);
    if (chlng.code !== REPLY.CCRYPT || chlng.scbType !== 0x12 || chlng.data.length !== 32) {
      throw new Error(`CHLNG answered 0x${chlng.code.toString(16)} ${Buffer.from(chlng.data).toString('hex')}`);
    }
    const cuid = chlng.data.slice(0, 8);
    const rndB = chlng.data.slice(8, 16);
    const keys = acuSessionKeys(scbk, rndA);
    if (!Buffer.from(acuClientCryptogram(keys, rndA, rndB)).equals(Buffer.from(chlng.data.slice(16, 32)))) {
      throw new Error('client cryptogram does not verify: the PD does not hold this key');
    }
    const server = acuServerCryptogram(keys, rndA, rndB);
    const rmacReply = await this.handshakeStep(CMD.SCRYPT, 0x13, defaultKey, server);
    if (rmacReply.code !== REPLY.RMAC_I || rmacReply.scbType !== 0x14 || rmacReply.scbData[0] !== 0x01) {
      throw new Error(`SCRYPT answered 0x${rmacReply.code.toString(16)}`);
    }
    const expected = acuInitialRmac(keys, server);
    if (!Buffer.from(expected).equals(Buffer.from(rmacReply.data))) throw new Error('R-MAC-I does not match');
    this.session = { keys, rmac: expected, cuid };
    return { cuid };
  }

  private async handshakeStep(code: number, scbType: number, defaultKey: boolean, data: Uint8Array): Promise<ParsedReply> {
    const sequence = this.sequence;
    const reply = await this.sendRaw(buildCommand({ address: this.address, sequence, crc: this.crc, scb: [3, scbType, defaultKey ? 0 : 1], code, data }));
    if (!reply) throw new Error(`no reply to handshake command 0x${code.toString(16)}`);
    if (reply.sequence !== sequence) throw new Error('handshake reply out of sequence');
    this.sequence = sequence === 3 ? 1 : sequence + 1;
    return reply;
  }

  private nextReply(timeoutMs: number): Promise<ParsedReply | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, timeoutMs);
      this.waiter = (reply) => {
        clearTimeout(timer);
        this.waiter = null;
        resolve(reply);
      };
    });
  }

  private onData(chunk: Uint8Array): void {
    const merged = new Uint8Array(this.received.length + chunk.length);
    merged.set(this.received);
    merged.set(chunk, this.received.length);
    this.received = merged;
    for (;;) {
      const som = this.received.indexOf(0x53);
      if (som < 0) {
        this.received = new Uint8Array(0);
        return;
      }
      this.received = this.received.slice(som);
      const result = parseReply(this.received);
      if (result === 'incomplete') return;
      if (result === 'invalid') {
        this.received = this.received.slice(1);
        continue;
      }
      this.received = this.received.slice(result.used);
      this.replies.push(result.reply);
      this.waiter?.(result.reply);
    }
  }
}
