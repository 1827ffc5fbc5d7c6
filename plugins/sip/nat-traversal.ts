import type { Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Clock, Logger } from 'portier/sdk';
import type { MediaSession } from './media-session.js';
import { TurnClient, discoverMappedAddress, type TransportAddress } from './nat/index.js';
import type { SipSettings } from './sip-settings.js';

const STUN_PORT = 3478;
const SOFTWARE = 'Portier SIP';

/** Where the other side should send: the address and port our SDP carries. */
export interface MediaAddress {
  address: string;
  port: number;
  via: 'direct' | 'stun' | 'turn';
}

/**
 * NAT traversal as the manual's SIP > NAT traversal page sets it: STUN
 * learns the public address of the SIP port (for Via and Contact) and of each
 * call's RTP port (for SDP); TURN allocates a relay for each call's RTP, which
 * then goes in the SDP, and lets in only the peer the offer/answer named.
 */
export class NatTraversal {
  mappedSip: TransportAddress | undefined;

  constructor(
    private readonly settings: () => SipSettings['nat'],
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Learns the SIP UDP port's public mapping; undefined when STUN is off or the server does not answer. */
  async mapSipSocket(socket: Socket | undefined): Promise<TransportAddress | undefined> {
    const stun = this.settings().stun;
    if (!stun.enabled || stun.server === undefined || socket === undefined) return undefined;
    try {
      this.mappedSip = await discoverMappedAddress({ socket, server: await serverAddress(stun.server), clock: this.clock, software: SOFTWARE });
      this.logger.info('STUN: the SIP port is reached at', { address: `${this.mappedSip.address}:${this.mappedSip.port}` });
    } catch (error) {
      this.logger.warn('STUN: no mapped address for the SIP port; Contact carries the device address', { server: stun.server, error: String(error) });
    }
    return this.mappedSip;
  }

  /** Prepares a call's RTP port: a TURN relay, or its STUN mapping, or nothing (`direct`). */
  async prepareMedia(media: MediaSession, fallback: MediaAddress): Promise<MediaAddress> {
    const { turn, stun } = this.settings();
    if (turn.enabled && turn.server !== undefined) {
      const client = await TurnClient.allocate({
        socket: media.socket,
        server: await serverAddress(turn.server),
        username: turn.username,
        password: turn.password,
        clock: this.clock,
        software: SOFTWARE,
        onError: (error) => this.logger.warn('TURN: the relay of a call failed', { error: String(error) }),
      });
      media.useRelay(client);
      return { address: client.relayedAddress.address, port: client.relayedAddress.port, via: 'turn' };
    }
    if (stun.enabled && stun.server !== undefined) {
      try {
        const mapped = await discoverMappedAddress({ socket: media.socket, server: await serverAddress(stun.server), clock: this.clock, software: SOFTWARE });
        return { address: mapped.address, port: mapped.port, via: 'stun' };
      } catch (error) {
        this.logger.warn('STUN: no mapped address for a call\'s RTP port', { error: String(error) });
      }
    }
    return fallback;
  }
}

async function serverAddress(hostPort: string): Promise<TransportAddress> {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(hostPort);
  const host = match?.[1] ?? hostPort;
  const port = match?.[2] === undefined ? STUN_PORT : Number(match[2]);
  const address = isIP(host) !== 0 ? host : (await lookup(host)).address;
  return { address, port };
}
