/**
 * baresip as a headless SIP phone for integration tests: its config dir is
 * generated in a temp dir (no audio device: a WAV file as the microphone —
 * a generated tone unless one is given, because ausine only runs at 48 kHz
 * and G.711 wants 8 kHz — the aubridge module as a speaker that goes nowhere), SIP on
 * 127.0.0.1, one account that registers through an outbound proxy (so no DNS
 * is needed) and by default answers calls itself. Driven and observed
 * through ctrl_tcp (see baresip-control.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { connectBaresipControl, type BaresipControl } from './baresip-control.js';
import { freeConsecutivePorts, freePort } from './free-port.js';
import { peerPath } from './peer-binary.js';
import { spawnPeer } from './peer-process.js';
import { writeToneWav } from './tone-wav.js';

export type { BaresipEvent, BaresipResponse } from './baresip-control.js';

export interface BaresipAccount {
  username: string;
  password: string;
  /** SIP domain of the address of record, e.g. the registrar's realm. */
  domain: string;
  /** Where REGISTER and calls go, `host:port` (the registrar's TLS port for `tls`). */
  outboundProxy: string;
  transport?: 'udp' | 'tcp' | 'tls';
  /** `auto` (default) answers incoming calls; `manual` leaves them ringing until `accept`. */
  answerMode?: 'auto' | 'manual';
  /** Registration interval in seconds; default 60. 0 does not register. */
  registerInterval?: number;
}

export interface BaresipOptions {
  account: BaresipAccount;
  /** CA certificates to verify a TLS registrar with (`sip_cafile`). */
  caFile?: string;
  /** A 8 kHz mono S16LE WAV to send as the microphone; default a generated 440 Hz tone of 30 s. */
  sourceWav?: string;
  binary?: string;
}

export interface Baresip extends BaresipControl {
  /** UDP/TCP port (TLS is the next one). */
  readonly sipPort: number;
  readonly controlPort: number;
  /** `sip:user@domain` */
  readonly aor: string;
  log(): string;
  stop(): Promise<void>;
}

export async function startBaresip(options: BaresipOptions): Promise<Baresip> {
  const binary = options.binary ?? peerPath('baresip');
  const dir = mkdtempSync(join(tmpdir(), 'portier-baresip-'));
  // baresip 1.0 listens for TLS on the SIP port + 1, with no setting to move it.
  const sipPort = await freeConsecutivePorts(2);
  const controlPort = await freePort();
  const { account } = options;
  const transport = account.transport ?? 'tls';
  const sourceWav = options.sourceWav ?? writeToneWav(join(dir, 'tone.wav'), { seconds: 30 });
  writeFileSync(join(dir, 'config'), [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${sipPort}`,
    ...(options.caFile ? [`sip_cafile ${options.caFile}`] : []),
    // An interface name ("lo") is not found by baresip 1.0; the address is.
    'net_interface 127.0.0.1',
    'call_local_timeout 120',
    'call_max_calls 4',
    `audio_source aufile,${sourceWav}`,
    'audio_player aubridge,portier-speaker',
    'audio_alert aubridge,portier-alert',
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module aufile.so',
    'module aubridge.so',
    'module_tmp account.so',
    // menu provides the call commands (dial, accept, hangup, ...) that ctrl_tcp runs.
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${controlPort}`,
    '',
  ].join('\n'));
  const aor = `sip:${account.username}@${account.domain}`;
  writeFileSync(join(dir, 'accounts'), `<${aor};transport=${transport}>` +
    `;auth_pass=${account.password}` +
    `;outbound="sip:${account.outboundProxy};transport=${transport}"` +
    `;answermode=${account.answerMode ?? 'auto'}` +
    `;regint=${account.registerInterval ?? 60}` +
    ';audio_codecs=PCMU,PCMA\n');
  writeFileSync(join(dir, 'contacts'), '');

  const peer = spawnPeer(binary, ['-f', dir], { cwd: dir });
  let control: BaresipControl | undefined;
  const stop = async (): Promise<void> => {
    control?.close();
    await peer.stop(2000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await peer.waitForOutput(/baresip is ready\./, 10_000);
    control = await connectWhenListening(controlPort, 3000);
  } catch (error) {
    await stop();
    throw new Error(`baresip did not start: ${(error as Error).message}\n${peer.output().slice(-4000)}`);
  }
  const ready = control;
  return {
    sipPort,
    controlPort,
    aor,
    events: () => ready.events(),
    waitForEvent: (type, timeoutMs) =>
      ready.waitForEvent(type, timeoutMs).catch((error: Error) => {
        throw new Error(`${error.message}\n--- baresip log ---\n${peer.output().slice(-4000)}`);
      }),
    command: (command, params, timeoutMs) => ready.command(command, params, timeoutMs),
    close: () => ready.close(),
    log: () => peer.output(),
    stop,
  };
}

async function connectWhenListening(port: number, timeoutMs: number): Promise<BaresipControl> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listening = await new Promise<boolean>((resolve) => {
      const probe = connect(port, '127.0.0.1', () => {
        probe.destroy();
        resolve(true);
      });
      probe.once('error', () => resolve(false));
    });
    if (listening) return connectBaresipControl(port);
    if (Date.now() > deadline) throw new Error(`ctrl_tcp not listening on 127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
