import { expect, it } from 'vitest';
import { describeWithPeers, startRtpTap, startSipp } from '../support/sip-peers/index.js';
import { pause, response, scenario, sdp, send } from '../support/sip-peers/sipp-scenario-xml.js';
import { ADMIN } from '../support/test-portier.js';
import { stopAfterEach } from '../support/stop-after-each.js';
import { startSipPortier } from './sip-test-portier.js';

const started = stopAfterEach();

/** A re-INVITE from the callee inside the dialog, with its SDP in `direction`; expects our 200 to carry `expect` and ACKs it. */
function reinvite(cseq: number, port: number, direction: 'sendonly' | 'sendrecv', expect: string, version: number): string[] {
  const offer = sdp(String(port)).replace('a=sendrecv', `a=${direction}`).replace('o=sipp 1 1', `o=sipp 1 ${version}`);
  return [
    send(`INVITE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: [$inviteTo];tag=[pid]SIPpTag01[call_number]
To: [$inviteFrom]
Call-ID: [call_id]
CSeq: ${cseq} INVITE
Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

${offer}`, 500),
    `<recv response="100" optional="true"/>`,
    `<recv response="200"><action><ereg regexp="a=${expect}" search_in="body" check_it="true" assign_to="dir${cseq}"/></action></recv>`,
    send(`ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: [$inviteTo];tag=[pid]SIPpTag01[call_number]
To: [$inviteFrom][peer_tag_param]
Call-ID: [call_id]
CSeq: ${cseq} ACK
Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Length: 0
`),
  ];
}

function holdingCallee(mediaPort: number): string {
  return scenario('uas-hold-unhold', [
    `<recv request="INVITE" crlf="true" rrs="true"><action>` +
      `<ereg regexp="[^ ].*" search_in="hdr" header="From:" assign_to="inviteFrom"/>` +
      `<ereg regexp="[^ ].*" search_in="hdr" header="To:" assign_to="inviteTo"/>` +
      `</action></recv>`,
    send(response('100 Trying', { toTag: false })),
    send(response('180 Ringing')),
    send(response('200 OK', { sdp: sdp(String(mediaPort)) }), 500),
    `<recv request="ACK" crlf="true"/>`,
    pause(300),
    ...reinvite(1, mediaPort, 'sendonly', 'recvonly', 2),
    pause(600),
    ...reinvite(2, mediaPort, 'sendrecv', 'sendrecv', 3),
    `<recv request="BYE"/>`,
    send(response('200 OK', { toTag: false })),
    `<Reference variables="dir1,dir2"/>`,
    `<timewait milliseconds="500"/>`,
  ]);
}

describeWithPeers(['sipp'], 'a re-INVITE from the other side', ({ sipp: binary = 'sipp' }) => {
  it('puts the call on hold (our audio stops, we answer recvonly) and takes it off hold again', async () => {
    const tap = started(await startRtpTap());
    const sipp = started(await startSipp(binary, { name: 'holding-callee', scenario: holdingCallee(tap.port), timeoutMs: 30_000 }));
    const portier = started(await startSipPortier());
    await portier.configure({ contacts: [{ id: 'desk', firstName: 'Desk', sipAddress: `sip:desk@${sipp.address}` }] });
    await portier.request('PUT', '/api/v1/simulator/microphones/microphone-1', { user: ADMIN, body: { kind: 'tone', frequencyHz: 600 } });
    const placed = await portier.request('POST', '/api/v1/plugins/sip/calls', { user: ADMIN, body: { contact: 'desk' } });
    const call = await portier.waitForCall((c) => c.call === placed.body.call && c.state === 'answered');

    // While on hold (the callee only sends), we send nothing; after it, our audio flows again.
    await tap.waitFor((t) => t.packetCount() >= 5, 3000, 'audio before the hold');
    await new Promise((resolve) => setTimeout(resolve, 450));
    const duringHold = tap.packetCount();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tap.packetCount() - duringHold).toBeLessThanOrEqual(2);
    await tap.waitFor((t) => t.packetCount() >= duringHold + 15, 3000, 'audio after the hold');

    await portier.request('DELETE', `/api/v1/plugins/sip/calls/${call.call}`, { user: ADMIN });
    const result = await sipp.result;
    expect(result.successful, sipp.explain()).toBe(1);
  });
});
