import type { RemoteInfo } from 'node:dgram';
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import {
  badRequestResponse,
  formatVia,
  getTopVia,
  isSipParseError,
  parseSipMessage,
  parseVia,
  serializeSipMessage,
  type SipMessage,
  type SipParseError,
  type SipRequest,
  type SipResponse,
  type StreamFramerEvent,
} from '../message/index.js';
import { type InboundMessage, type SipAddress, type SipTransport, type SipTransportName, defaultPort } from './sip-transport.js';
import { StreamEndpoint, type StreamConnection } from './stream-endpoint.js';
import { SipTransportError } from './transport-error.js';
import { UdpEndpoint } from './udp-endpoint.js';

export interface TransportLayerOptions {
  /** The address to listen on (an IP; 0.0.0.0 for all). */
  host: string;
  /** The address put in Via and Contact when `host` is a wildcard, or a STUN-mapped one. */
  advertisedHost?: string;
  udpPort?: number;
  tcpPort?: number;
  tls?: { port: number; server: TlsOptions; client?: Pick<ConnectionOptions, 'ca' | 'rejectUnauthorized'> };
  /** Why a message was dropped or refused: malformed, not ours. Never throws. */
  onDropped?(why: string, source: SipAddress, error?: SipParseError): void;
}

/**
 * RFC 3261 §18: UDP, TCP and TLS listeners behind one interface. Inbound
 * requests get `received` and `rport` filled in (§18.2.1, RFC 3581); a
 * message the parser refuses is answered 400 when it is a request that can be
 * answered, else dropped, and either way reported, never thrown.
 */
export class TransportLayer implements SipTransport {
  private readonly listeners = new Set<(inbound: InboundMessage) => void>();
  private udp: UdpEndpoint | undefined;
  private tcp: StreamEndpoint | undefined;
  private tlsEndpoint: StreamEndpoint | undefined;
  private advertisedUdpPort: number | undefined;

  private constructor(private readonly options: TransportLayerOptions) {}

  static async start(options: TransportLayerOptions): Promise<TransportLayer> {
    const layer = new TransportLayer(options);
    try {
      if (options.udpPort !== undefined) layer.udp = await UdpEndpoint.bind(options.host, options.udpPort, (bytes, from) => layer.datagram(bytes, from));
      if (options.tcpPort !== undefined) layer.tcp = await StreamEndpoint.listen(layer.streamOptions('TCP', options.tcpPort));
      if (options.tls !== undefined) layer.tlsEndpoint = await StreamEndpoint.listen(layer.streamOptions('TLS', options.tls.port));
    } catch (error) {
      await layer.close();
      throw error;
    }
    return layer;
  }

  localAddress(transport: SipTransportName): SipAddress | undefined {
    const endpoint = transport === 'UDP' ? this.udp : transport === 'TCP' ? this.tcp : this.tlsEndpoint;
    if (endpoint === undefined) return undefined;
    const port = transport === 'UDP' ? (this.advertisedUdpPort ?? endpoint.port) : endpoint.port;
    return { transport, host: this.options.advertisedHost ?? endpoint.host, port };
  }

  /** Changes the address put in Via and Contact (a STUN server told us our mapped one, with the UDP port it maps to). */
  advertise(host: string, udpPort?: number): void {
    this.options.advertisedHost = host;
    this.advertisedUdpPort = udpPort;
  }

  /** The SIP UDP socket, for a STUN binding from the SIP port itself. */
  get udpSocket(): UdpEndpoint['socket'] | undefined {
    return this.udp?.socket;
  }

  onMessage(listener: (inbound: InboundMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async sendRequest(request: SipRequest, target: SipAddress): Promise<void> {
    const bytes = serializeSipMessage(request);
    if (target.transport === 'UDP') return this.need(this.udp, 'UDP').send(bytes, target.host, target.port);
    await this.need(target.transport === 'TCP' ? this.tcp : this.tlsEndpoint, target.transport).send(bytes, target);
  }

  async sendResponse(response: SipResponse, request: InboundMessage<SipRequest>): Promise<void> {
    const bytes = serializeSipMessage(response);
    const { source } = request;
    if (source.transport === 'UDP') {
      const via = getTopVia(request.message);
      // RFC 3581: with rport, back to the exact source; without, to the source address and the sent-by port.
      const port = typeof via.rport === 'number' ? via.rport : (via.port ?? defaultPort('UDP'));
      return this.need(this.udp, 'UDP').send(bytes, via.received ?? source.host, port);
    }
    const endpoint = this.need(source.transport === 'TCP' ? this.tcp : this.tlsEndpoint, source.transport);
    if (request.connectionId !== undefined && endpoint.sendOn(request.connectionId, bytes)) return;
    // §18.2.2: the connection is gone; open one to the source address and the sent-by port.
    const via = getTopVia(request.message);
    await endpoint.send(bytes, { transport: source.transport, host: via.received ?? source.host, port: via.port ?? defaultPort(source.transport) });
  }

  async close(): Promise<void> {
    await Promise.all([this.udp?.close(), this.tcp?.close(), this.tlsEndpoint?.close()]);
    this.listeners.clear();
  }

  private need<T>(endpoint: T | undefined, transport: SipTransportName): T {
    if (endpoint === undefined) throw new SipTransportError('SIP_TRANSPORT_UNAVAILABLE', `SIP over ${transport} is not enabled on this device.`);
    return endpoint;
  }

  private streamOptions(transport: 'TCP' | 'TLS', port: number) {
    return {
      transport,
      host: this.options.host,
      port,
      ...(transport === 'TLS' && this.options.tls !== undefined ? { server: this.options.tls.server, ...(this.options.tls.client === undefined ? {} : { client: this.options.tls.client }) } : {}),
      onEvent: (event: StreamFramerEvent, connection: StreamConnection) => this.streamEvent(event, connection),
    };
  }

  private datagram(bytes: Uint8Array, from: RemoteInfo): void {
    const source: SipAddress = { transport: 'UDP', host: from.address, port: from.port };
    // Keep-alives (CRLF, CRLFCRLF: phones send them over UDP too) and stray bytes too short to be SIP.
    if (bytes.length < 4 || bytes.every((byte) => byte === 13 || byte === 10)) return;
    // STUN answers on the SIP port (RFC 7983's demultiplexing: STUN starts with 0-3, SIP with a letter) belong to the STUN client.
    if (bytes[0]! < 4) return;
    let message: SipMessage;
    try {
      message = parseSipMessage(bytes, { transport: 'datagram' });
    } catch (error) {
      if (!isSipParseError(error)) throw error;
      this.refuse(error, { message: undefined, source, local: this.localAddress('UDP')!, connectionId: undefined });
      return;
    }
    this.deliver({ message, source, local: this.localAddress('UDP')!, connectionId: undefined });
  }

  private streamEvent(event: StreamFramerEvent, connection: StreamConnection): void {
    if (event.kind === 'keepalive') return;
    const inbound = { source: connection.remote, local: connection.local, connectionId: connection.id };
    if (event.kind === 'error') this.refuse(event.error, { ...inbound, message: undefined });
    else this.deliver({ ...inbound, message: event.message });
  }

  private refuse(error: SipParseError, where: Omit<InboundMessage, 'message'> & { message: undefined }): void {
    this.options.onDropped?.(`malformed message: ${error.message}`, where.source, error);
    const answer = badRequestResponse(error);
    if (answer === null) return;
    const vias = answer.headers.getAll('Via');
    const top = vias[0] === undefined ? null : stampVia(vias[0], where.source);
    if (top === null) return;
    // The 400 must find its way back through a NAT as any answer does (RFC 3581): route it by the stamped Via.
    answer.headers.removeFirst('Via');
    answer.headers.prepend('Via', top);
    const request = { kind: 'request', method: error.request?.method ?? 'UNKNOWN', uri: '', headers: answer.headers, body: new Uint8Array(0) } as SipRequest;
    this.sendResponse(answer, { ...where, message: request }).catch(() => undefined);
  }

  private deliver(inbound: InboundMessage): void {
    const { message, source } = inbound;
    if (message.kind === 'request') {
      // §18.2.1: note where the request really came from, so the response finds its way back through a NAT.
      const vias = message.headers.getAll('Via');
      const top = vias[0] === undefined ? null : stampVia(vias[0], source);
      if (top === null) return this.options.onDropped?.('request without a readable Via', source);
      if (top !== vias[0]) {
        message.headers.removeFirst('Via');
        message.headers.prepend('Via', top);
      }
    }
    for (const listener of this.listeners) {
      // A listener's bug must not escape into the socket's event handler, where it would end the process.
      try {
        listener(inbound);
      } catch (error) {
        this.options.onDropped?.(`a listener failed on the message: ${error instanceof Error ? error.message : String(error)}`, source);
      }
    }
  }
}

/**
 * §18.2.1 and RFC 3581: the top Via with `received` (when the source address
 * is not sent-by, or rport was asked for) and `rport` filled in; the value
 * unchanged when neither applies; null when it cannot be read.
 */
function stampVia(value: string, source: SipAddress): string | null {
  const top = parseVia(value);
  if (top === null) return null;
  let changed = false;
  if (top.host !== source.host) {
    top.received = source.host;
    changed = true;
  }
  if (top.rport === true) {
    top.rport = source.port;
    top.received = source.host;
    changed = true;
  }
  return changed ? formatVia(top) : value;
}
