/**
 * The PD's side of one secure channel session (SIA OSDP v2.2 Annex D):
 * the handshake state, the session keys and the two ends of the MAC chain.
 *
 *   osdp_CHLNG  (SCS_11, RND.A)              → begin(): keys, RND.B, client cryptogram
 *   osdp_SCRYPT (SCS_13, server cryptogram)  → confirm(): verified → active, R-MAC-I
 *   then every command SCS_15/SCS_17         → open(): MAC checked, data decrypted
 *   and every reply SCS_16/SCS_18            → seal(): data encrypted, MAC appended
 *
 * A MAC that does not verify, data that does not decrypt, or a confirm()
 * without a matching begin() ends the session; the caller NAKs in the clear
 * and the ACU starts over with osdp_CHLNG. Keys live only as long as the
 * session (libosdp doc/osdp-secure-channel.md: "All keys generated are
 * ephemeral and must not be stored").
 */
import { timingSafeEqual } from 'node:crypto';

import { SecurityBlock } from './codes.js';
import { encodeFrame, MAC_LENGTH, type FrameSpec, type OsdpFrame } from './frame.js';
import { computeMac, decryptData, encryptData } from './message-protection.js';
import { clientCryptogram, deriveSessionKeys, initialRmac, serverCryptogram, type SessionKeys } from './session-keys.js';

export type SecureSessionState = 'inactive' | 'challenged' | 'active';

export interface Challenge {
  rndB: Uint8Array;
  clientCryptogram: Uint8Array;
}

export class SecureSession {
  private stateValue: SecureSessionState = 'inactive';
  private keys: SessionKeys | null = null;
  private rndA: Uint8Array | null = null;
  private rndB: Uint8Array | null = null;
  /** Last R-MAC sent (R-MAC-I right after the handshake). */
  private rmac: Uint8Array | null = null;
  /** C-MAC of the command being answered. */
  private cmac: Uint8Array | null = null;
  private defaultKey = false;

  get state(): SecureSessionState {
    return this.stateValue;
  }

  get active(): boolean {
    return this.stateValue === 'active';
  }

  /** Whether this session runs on SCBK-D (install mode) rather than the PD's own SCBK. */
  get usesDefaultKey(): boolean {
    return this.defaultKey;
  }

  /** osdp_CHLNG: starts a new session (dropping any current one). */
  begin(scbk: Uint8Array, usesDefaultKey: boolean, rndA: Uint8Array, rndB: Uint8Array): Challenge {
    this.drop();
    this.keys = deriveSessionKeys(scbk, rndA);
    this.rndA = rndA.slice();
    this.rndB = rndB.slice();
    this.defaultKey = usesDefaultKey;
    this.stateValue = 'challenged';
    return { rndB: this.rndB, clientCryptogram: clientCryptogram(this.keys, rndA, rndB) };
  }

  /** osdp_SCRYPT: returns R-MAC-I when the ACU's cryptogram is right, else null and the session is dropped. */
  confirm(cryptogram: Uint8Array): Uint8Array | null {
    if (this.stateValue !== 'challenged' || !this.keys || !this.rndA || !this.rndB || cryptogram.length !== 16) {
      this.drop();
      return null;
    }
    const expected = serverCryptogram(this.keys, this.rndA, this.rndB);
    if (!timingSafeEqual(expected, cryptogram)) {
      this.drop();
      return null;
    }
    this.rmac = initialRmac(this.keys, cryptogram);
    this.stateValue = 'active';
    return this.rmac;
  }

  /**
   * Checks an SCS_15/SCS_17 command and returns its plain data, or null (the
   * caller then drops the session). Advances the chain: the command's C-MAC
   * becomes the starting value of the reply's R-MAC.
   */
  open(frame: OsdpFrame): Uint8Array | null {
    const keys = this.keys;
    const rmac = this.rmac;
    const type = frame.securityBlock?.type;
    if (!this.active || !keys || !rmac || !frame.mac || (type !== SecurityBlock.SCS_15 && type !== SecurityBlock.SCS_17)) return null;
    const mac = computeMac(keys, rmac, frame.bytes.subarray(0, frame.authenticatedLength));
    if (!timingSafeEqual(mac.subarray(0, MAC_LENGTH), frame.mac)) return null;
    let data = frame.data;
    if (type === SecurityBlock.SCS_17 && data.length > 0) {
      const plain = decryptData(keys, rmac, data);
      if (!plain) return null;
      data = plain;
    }
    this.cmac = mac;
    return data;
  }

  /** Builds a reply inside the session: SCS_18 when it carries data, SCS_16 when it does not. */
  seal(spec: Omit<FrameSpec, 'securityBlock' | 'mac'>): Uint8Array {
    const keys = this.keys;
    const cmac = this.cmac;
    if (!this.active || !keys || !cmac) throw new Error('no secure channel session to reply in');
    const data = spec.data ?? new Uint8Array(0);
    const encrypted = data.length > 0;
    return encodeFrame({
      ...spec,
      data: encrypted ? encryptData(keys, cmac, data) : data,
      securityBlock: { type: encrypted ? SecurityBlock.SCS_18 : SecurityBlock.SCS_16, data: new Uint8Array(0) },
      mac: (authenticated) => {
        this.rmac = computeMac(keys, cmac, authenticated);
        return this.rmac;
      },
    });
  }

  /** Ends the session and forgets its keys. */
  drop(): void {
    for (const secret of [this.keys?.enc, this.keys?.mac1, this.keys?.mac2, this.rmac, this.cmac]) secret?.fill(0);
    this.stateValue = 'inactive';
    this.keys = null;
    this.rndA = null;
    this.rndB = null;
    this.rmac = null;
    this.cmac = null;
    this.defaultKey = false;
  }
}
