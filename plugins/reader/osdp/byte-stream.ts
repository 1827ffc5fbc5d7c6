/**
 * The reader connector's RS-485 as the PD sees it: bytes in, bytes out. The
 * simulator exposes one; a real serial port plugs in behind the same shape
 * (a Node Duplex adapts with `write` and `on('data')`).
 */
import { OsdpPeripheral, type OsdpPeripheralOptions } from './osdp-peripheral.js';

export interface ByteStream {
  write(bytes: Uint8Array): void;
  /** Subscribes to incoming chunks; returns the function that unsubscribes. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
}

/** A PD that reads its commands from `stream` and writes its replies to it. */
export function connectPeripheral(
  stream: ByteStream,
  options: Omit<OsdpPeripheralOptions, 'transmit'>,
): { peripheral: OsdpPeripheral; disconnect: () => void } {
  const peripheral = new OsdpPeripheral({ ...options, transmit: (bytes) => stream.write(bytes) });
  const disconnect = stream.onData((chunk) => peripheral.receive(chunk));
  return { peripheral, disconnect };
}
