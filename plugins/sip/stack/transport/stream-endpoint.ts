import { createServer as createTcpServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer, type ConnectionOptions, type TlsOptions } from 'node:tls';
import { SipStreamFramer, type StreamFramerEvent } from '../message/index.js';
import { addressKey, type SipAddress } from './sip-transport.js';
import { SipTransportError } from './transport-error.js';

export interface StreamConnection {
  readonly id: string;
  readonly remote: SipAddress;
  readonly local: SipAddress;
}

export interface StreamEndpointOptions {
  transport: 'TCP' | 'TLS';
  host: string;
  port: number;
  /** The listener's certificate and key (TLS). */
  server?: TlsOptions;
  /** How connections we open check the other side (TLS): CA, whether to verify. */
  client?: Pick<ConnectionOptions, 'ca' | 'rejectUnauthorized'>;
  /** A connection with nothing sent or received for this long is closed (RFC 5626 leaves this to the UA). */
  idleTimeoutMs?: number;
  connectTimeoutMs?: number;
  maxConnections?: number;
  onEvent(event: StreamFramerEvent, connection: StreamConnection): void;
  onConnectionError?(connection: StreamConnection, error: Error): void;
}

interface Open extends StreamConnection {
  socket: Socket;
  framer: SipStreamFramer;
}

let nextId = 0;

/**
 * TCP or TLS for SIP: a listener, and connections to peers we open on the
 * first request to them and reuse after (RFC 3261 §18.1.1). Each connection
 * frames its byte stream with Content-Length; a fatal framing error closes it.
 */
export class StreamEndpoint {
  private readonly open = new Map<string, Open>();
  private readonly byRemote = new Map<string, string>();
  private readonly connecting = new Map<string, Promise<Open>>();
  /**
   * Every socket, adopted or not: a TLS connection still in its handshake and
   * one we are still opening are not in `open`, yet close() must end them, or
   * the server's close waits out the handshake timeout.
   */
  private readonly sockets: Set<Socket>;

  private constructor(
    private readonly server: Server,
    private readonly options: StreamEndpointOptions,
    readonly host: string,
    readonly port: number,
    sockets: Set<Socket>,
  ) {
    this.sockets = sockets;
  }

  static listen(options: StreamEndpointOptions): Promise<StreamEndpoint> {
    let endpoint: StreamEndpoint | undefined;
    const accept = (socket: Socket): void => {
      if (endpoint === undefined) socket.destroy();
      else endpoint.adopt(socket);
    };
    const server = options.transport === 'TLS' ? createTlsServer({ minVersion: 'TLSv1.2', ...options.server }, accept) : createTcpServer(accept);
    server.maxConnections = options.maxConnections ?? 256;
    const sockets = new Set<Socket>();
    // 'connection' is the raw TCP socket, TLS or not, before any handshake.
    server.on('connection', (socket: Socket) => track(sockets, socket));
    return new Promise((resolve, reject) => {
      server.once('error', (error) =>
        reject(new SipTransportError('SIP_BIND_FAILED', `Could not listen for SIP on ${options.transport} ${options.host}:${options.port}: ${error.message}. Pick another port, or stop what uses it.`, { cause: error })),
      );
      server.listen(options.port, options.host, () => {
        server.removeAllListeners('error');
        server.on('error', () => undefined);
        const address = server.address();
        endpoint = new StreamEndpoint(server, options, options.host, typeof address === 'object' && address !== null ? address.port : options.port, sockets);
        resolve(endpoint);
      });
    });
  }

  get connectionCount(): number {
    return this.open.size;
  }

  /** Writes on the open connection with this id; false when it is gone. */
  sendOn(connectionId: string, bytes: Uint8Array): boolean {
    const connection = this.open.get(connectionId);
    // Not `destroyed`: a peer's FIN ends our side before 'close' removes the connection, and a write then is lost.
    if (connection === undefined || !connection.socket.writable) return false;
    connection.socket.write(bytes);
    return true;
  }

  /** Writes to `target`, on the connection already open to it or a new one. */
  async send(bytes: Uint8Array, target: SipAddress): Promise<StreamConnection> {
    const key = addressKey(target);
    const id = this.byRemote.get(key);
    const existing = id === undefined ? undefined : this.open.get(id);
    const connection = existing ?? (await this.connect(target, key));
    connection.socket.write(bytes);
    return connection;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private connect(target: SipAddress, key: string): Promise<Open> {
    const pending = this.connecting.get(key);
    if (pending !== undefined) return pending;
    const promise = new Promise<Open>((resolve, reject) => {
      const options = { host: target.host, port: target.port };
      const socket =
        this.options.transport === 'TLS'
          ? tlsConnect({ ...options, minVersion: 'TLSv1.2', rejectUnauthorized: true, ...this.options.client })
          : tcpConnect(options);
      track(this.sockets, socket);
      const ready = this.options.transport === 'TLS' ? 'secureConnect' : 'connect';
      const timer = setTimeout(() => socket.destroy(new Error(`no connection within ${this.options.connectTimeoutMs ?? 5000} ms`)), this.options.connectTimeoutMs ?? 5000);
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(this.adopt(socket, target));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new SipTransportError('SIP_TRANSPORT_ERROR', `Could not connect over ${this.options.transport} to ${target.host}:${target.port}: ${error.message}`, { cause: error }));
      });
    }).finally(() => this.connecting.delete(key));
    this.connecting.set(key, promise);
    return promise;
  }

  private adopt(socket: Socket, remoteKnown?: SipAddress): Open {
    const transport = this.options.transport;
    const remote: SipAddress = remoteKnown ?? { transport, host: socket.remoteAddress ?? '0.0.0.0', port: socket.remotePort ?? 0 };
    const connection: Open = {
      id: `${transport.toLowerCase()}-${++nextId}`,
      remote,
      local: { transport, host: socket.localAddress ?? this.host, port: socket.localPort ?? this.port },
      socket,
      framer: new SipStreamFramer(),
    };
    this.open.set(connection.id, connection);
    this.byRemote.set(addressKey(remote), connection.id);
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleTimeoutMs ?? 300_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      for (const event of connection.framer.push(chunk)) {
        if (event.kind === 'keepalive' && event.type === 'ping') socket.write('\r\n');
        this.options.onEvent(event, connection);
        if (event.kind === 'error' && event.fatal) socket.destroy();
      }
    });
    socket.on('error', (error) => this.options.onConnectionError?.(connection, error));
    socket.on('close', () => {
      this.open.delete(connection.id);
      if (this.byRemote.get(addressKey(remote)) === connection.id) this.byRemote.delete(addressKey(remote));
    });
    return connection;
  }
}

function track(sockets: Set<Socket>, socket: Socket): void {
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
}
