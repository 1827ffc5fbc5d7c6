/**
 * connectPeripheral on anything shaped like the reader connector: the SDK's
 * RS-485 port handle fits ByteStream as it is, so the reader plugin can hand
 * its claimed port straight to the PD.
 */
import type { ReaderConnectorPort } from 'portier/sdk';
import { describe, expect, it } from 'vitest';

import { connectPeripheral, type ByteStream } from './byte-stream.js';
import { buildCommand, parseReply } from './test-support/acu-frames.js';

// Compile-time contract: a claimed reader connector is a ByteStream.
const asByteStream = (port: ReaderConnectorPort): ByteStream => port;
void asByteStream;

describe('connectPeripheral', () => {
  it('reads commands from the stream, writes replies to it, and stops on disconnect', () => {
    const written: Uint8Array[] = [];
    let deliver: ((chunk: Uint8Array) => void) | null = null;
    const stream: ByteStream = {
      write: (bytes) => written.push(bytes),
      onData: (listener) => {
        deliver = listener;
        return () => {
          deliver = null;
        };
      },
    };
    const identity = { vendorCode: 1, model: 1, version: 1, serialNumber: 1, firmware: { major: 1, minor: 0, build: 0 } };
    const { peripheral, disconnect } = connectPeripheral(stream, { address: 2, identity });
    const poll = buildCommand({ address: 2, sequence: 0, code: 0x60 });
    deliver!(poll.slice(0, 3));
    deliver!(poll.slice(3));
    expect(written).toHaveLength(1);
    const reply = parseReply(written[0]!);
    expect(typeof reply === 'object' && reply.reply.code).toBe(0x40);
    expect(peripheral.online).toBe(true);
    disconnect();
    expect(deliver).toBeNull();
  });
});
