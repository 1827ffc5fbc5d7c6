/**
 * A TURN client (RFC 5766, RFC 8656) on one UDP socket: it holds an
 * allocation on the server, so media can reach this device through the
 * server's relayed address when no direct path exists.
 *
 * - Allocate is answered 401 with a realm and nonce; the request is sent
 *   again with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY keyed by
 *   MD5(username:realm:password) (long-term credentials, RFC 5389 §10.2).
 *   Every later request carries them; 438 Stale Nonce means "again with this
 *   new nonce".
 * - The allocation is refreshed a minute before its lifetime ends; each
 *   peer's permission (5 min) and channel (10 min) every 4 minutes.
 * - Data to a peer goes as ChannelData once a channel is bound (4 bytes of
 *   overhead instead of 36), else as a Send indication.
 * - close() deletes the allocation (Refresh with LIFETIME 0).
 *
 * It is a PacketTransport (send(data, peer), 'message' (data, from)), so the
 * RTP sender and receiver run through the relay unchanged.
 */
import type { Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';

import { type Clock, PortierError, type TimerHandle } from 'portier/sdk';

import { MAX_CHANNEL, MIN_CHANNEL, decodeChannelData, encodeChannelData, isChannelData } from './channel-data.js';
import { type TransportAddress, readErrorCode, readText, readUint32, readXorAddress, stunAttribute } from './stun-attributes.js';
import { StunAttributeType, StunMethod } from './stun-codes.js';
import { longTermKey } from './stun-credentials.js';
import { type DecodedStunMessage, type StunAttribute, decodeStunMessage, encodeStunMessage, findAttribute, verifyMessageIntegrity } from './stun-message.js';
import { type RetransmissionOptions, StunTransactions, newTransactionId } from './stun-transactions.js';

export interface TurnClientOptions extends RetransmissionOptions {
  /** A bound UDP socket used only for this allocation. */
  socket: Socket;
  server: TransportAddress;
  username: string;
  password: string;
  clock: Clock;
  /** Seconds asked for (the server may grant less); default 600. */
  lifetime?: number;
  software?: string;
  /** A refresh that failed in the background; the allocation may be gone. */
  onError?: (error: Error) => void;
}

/** Permissions last 300 s and channels 600 s (RFC 5766 §8, §11); both are renewed well before. */
const PEER_REFRESH_MS = 240_000;

type MessageListener = (data: Uint8Array, from: TransportAddress) => void;

interface Peer {
  address: TransportAddress;
  channel: number | null;
}

export class TurnClient {
  /** The address on the server that peers send to. */
  relayedAddress!: TransportAddress;
  /** This socket's address as the server sees it. */
  mappedAddress: TransportAddress | null = null;
  /** Seconds the server granted at the last Allocate or Refresh. */
  lifetime = 0;

  private readonly options: TurnClientOptions;
  private readonly serverName: string;
  private readonly transactions: StunTransactions;
  private readonly events = new EventEmitter();
  private readonly peers = new Map<string, Peer>();
  private readonly channels = new Map<number, Peer>();
  private credentials: { realm: string; nonce: string; key: Uint8Array } | null = null;
  private nextChannel = MIN_CHANNEL;
  private refreshTimer: TimerHandle | null = null;
  private peerTimer: TimerHandle | null = null;
  private closed = false;
  private readonly onSocketMessage = (data: Buffer, from: { address: string; port: number }): void => this.receive(data, from);

  private constructor(options: TurnClientOptions) {
    this.options = options;
    this.serverName = `the TURN server ${options.server.address}:${options.server.port}`;
    this.transactions = new StunTransactions(options.clock, (bytes) => this.toServer(bytes), this.serverName, options);
    options.socket.on('message', this.onSocketMessage);
  }

  /** Creates an allocation; throws TURN_AUTH_FAILED, TURN_REQUEST_FAILED or STUN_TIMEOUT when it cannot. */
  static async allocate(options: TurnClientOptions): Promise<TurnClient> {
    const client = new TurnClient(options);
    try {
      const response = await client.request('Allocate', StunMethod.Allocate, () => [stunAttribute.requestedTransport(), stunAttribute.lifetime(options.lifetime ?? 600)]);
      const relayed = readXorAddress(response, StunAttributeType.XorRelayedAddress);
      if (!relayed) throw new PortierError('TURN_RESPONSE_INVALID', `${client.serverName} granted an allocation without a relayed address.`);
      client.relayedAddress = relayed;
      client.mappedAddress = readXorAddress(response, StunAttributeType.XorMappedAddress);
      client.granted(response);
      return client;
    } catch (error) {
      client.shutDown();
      throw error;
    }
  }

  /** Lets `peer` send to the relayed address and binds a channel to it (unless `channel` is false). */
  async addPeer(peer: TransportAddress, options: { channel?: boolean } = {}): Promise<void> {
    const key = peerKey(peer);
    const known = this.peers.get(key) ?? { address: peer, channel: null };
    this.peers.set(key, known);
    if (options.channel === false) {
      await this.createPermission(known);
    } else {
      if (known.channel === null) {
        if (this.nextChannel > MAX_CHANNEL) throw new PortierError('TURN_CHANNELS_EXHAUSTED', 'All 16384 TURN channel numbers are in use on this allocation.');
        known.channel = this.nextChannel++;
      }
      await this.bindChannel(known);
      this.channels.set(known.channel, known);
    }
    this.schedulePeerRefresh();
  }

  /** Relays `data` to `peer` (which addPeer must have been called for, or the server drops it). */
  send(data: Uint8Array, peer: TransportAddress): void {
    if (this.closed) return;
    const known = this.peers.get(peerKey(peer));
    if (known?.channel != null) {
      this.toServer(encodeChannelData(known.channel, data));
      return;
    }
    const transactionId = newTransactionId();
    const indication = encodeStunMessage({
      method: StunMethod.Send,
      messageClass: 'indication',
      transactionId,
      attributes: [stunAttribute.xorPeerAddress(peer, transactionId), stunAttribute.data(data)],
    });
    this.toServer(indication);
  }

  on(event: 'message', listener: MessageListener): this {
    this.events.on(event, listener);
    return this;
  }

  off(event: 'message', listener: MessageListener): this {
    this.events.off(event, listener);
    return this;
  }

  /** Deletes the allocation on the server and stops listening; the socket stays the caller's. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.clearTimers();
    try {
      await this.request('Refresh', StunMethod.Refresh, () => [stunAttribute.lifetime(0)]);
    } catch {
      // The server forgets the allocation when its lifetime ends anyway.
    } finally {
      this.shutDown();
    }
  }

  private async createPermission(peer: Peer): Promise<void> {
    await this.request('CreatePermission', StunMethod.CreatePermission, (id) => [stunAttribute.xorPeerAddress(peer.address, id)]);
  }

  private async bindChannel(peer: Peer): Promise<void> {
    await this.request('ChannelBind', StunMethod.ChannelBind, (id) => [stunAttribute.channelNumber(peer.channel!), stunAttribute.xorPeerAddress(peer.address, id)]);
  }

  private async refresh(): Promise<void> {
    const response = await this.request('Refresh', StunMethod.Refresh, () => [stunAttribute.lifetime(this.options.lifetime ?? 600)]);
    this.granted(response);
  }

  private granted(response: DecodedStunMessage): void {
    this.lifetime = readUint32(response, StunAttributeType.Lifetime) ?? this.options.lifetime ?? 600;
    // A minute before the end, as RFC 5766 §7 suggests; half the lifetime when it is short.
    const refreshInSeconds = this.lifetime > 120 ? this.lifetime - 60 : this.lifetime / 2;
    if (this.refreshTimer) this.options.clock.clearTimeout(this.refreshTimer);
    this.refreshTimer = this.options.clock.setTimeout(() => {
      this.refreshTimer = null;
      this.refresh().catch((error: Error) => this.backgroundFailure(error));
    }, refreshInSeconds * 1000);
  }

  private schedulePeerRefresh(): void {
    if (this.peerTimer || this.closed) return;
    this.peerTimer = this.options.clock.setTimeout(() => {
      this.peerTimer = null;
      const renewals = [...this.peers.values()].map((peer) => (peer.channel === null ? this.createPermission(peer) : this.bindChannel(peer)));
      Promise.all(renewals)
        .then(() => this.schedulePeerRefresh())
        .catch((error: Error) => this.backgroundFailure(error));
    }, PEER_REFRESH_MS);
  }

  private backgroundFailure(error: Error): void {
    if (this.closed) return;
    this.options.onError?.(error);
  }

  /**
   * Sends a request, answering the server's authentication challenges: the
   * first 401 supplies realm and nonce, a 438 a fresh nonce. A second 401
   * means the credentials are wrong.
   */
  private async request(name: string, method: number, attributes: (transactionId: Uint8Array) => StunAttribute[]): Promise<DecodedStunMessage> {
    let unauthorized = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      const transactionId = newTransactionId();
      const auth = this.credentials;
      const all = attributes(transactionId);
      if (this.options.software) all.push(stunAttribute.software(this.options.software));
      if (auth) all.push(stunAttribute.username(this.options.username), stunAttribute.realm(auth.realm), stunAttribute.nonce(auth.nonce));
      const bytes = encodeStunMessage({ method, messageClass: 'request', transactionId, attributes: all }, { integrityKey: auth?.key, fingerprint: true });
      const response = await this.transactions.request(transactionId, bytes);

      if (response.messageClass === 'success') {
        if (auth && response.integrityOffset !== null && !verifyMessageIntegrity(response, auth.key)) {
          throw new PortierError('TURN_INTEGRITY_FAILED', `The ${name} answer from ${this.serverName} failed its integrity check; the server's password differs or the answer was tampered with.`);
        }
        return response;
      }
      const error = readErrorCode(response);
      const realm = readText(response, StunAttributeType.Realm) ?? auth?.realm;
      const nonce = readText(response, StunAttributeType.Nonce);
      if (error?.code === 401 && unauthorized++ === 0 && realm && nonce) {
        this.credentials = { realm, nonce, key: longTermKey(this.options.username, realm, this.options.password) };
        continue;
      }
      if (error?.code === 438 && realm && nonce) {
        this.credentials = { realm, nonce, key: longTermKey(this.options.username, realm, this.options.password) };
        continue;
      }
      if (error?.code === 401) {
        throw new PortierError('TURN_AUTH_FAILED', `${this.serverName} did not accept the username "${this.options.username}" and its password for ${name}; check the TURN credentials in the SIP settings.`);
      }
      throw new PortierError('TURN_REQUEST_FAILED', `${this.serverName} refused ${name}: ${error?.code ?? 'no error code'} ${error?.reason ?? ''}`.trim() + '.');
    }
    throw new PortierError('TURN_REQUEST_FAILED', `${this.serverName} kept asking for a new nonce for ${name}; giving up.`);
  }

  private receive(data: Buffer, from: { address: string; port: number }): void {
    if (from.port !== this.options.server.port || from.address !== this.options.server.address) return;
    if (isChannelData(data)) {
      const message = decodeChannelData(data);
      const peer = message && this.channels.get(message.channel);
      if (message && peer) this.events.emit('message', message.data, peer.address);
      return;
    }
    const decoded = decodeStunMessage(data);
    if (!decoded.ok) return;
    const message = decoded.message;
    if (message.messageClass === 'success' || message.messageClass === 'error') {
      this.transactions.handleResponse(message);
    } else if (message.messageClass === 'indication' && message.method === StunMethod.Data) {
      const peer = readXorAddress(message, StunAttributeType.XorPeerAddress);
      const payload = findAttribute(message, StunAttributeType.Data);
      if (peer && payload) this.events.emit('message', payload, peer);
    }
  }

  private toServer(bytes: Uint8Array): void {
    this.options.socket.send(bytes, this.options.server.port, this.options.server.address);
  }

  private clearTimers(): void {
    if (this.refreshTimer) this.options.clock.clearTimeout(this.refreshTimer);
    if (this.peerTimer) this.options.clock.clearTimeout(this.peerTimer);
    this.refreshTimer = null;
    this.peerTimer = null;
  }

  private shutDown(): void {
    this.closed = true;
    this.clearTimers();
    this.transactions.close();
    this.options.socket.off('message', this.onSocketMessage);
  }
}

function peerKey(peer: TransportAddress): string {
  return `${peer.address}|${peer.port}`;
}
