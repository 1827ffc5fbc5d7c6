import { describe, expect, it } from 'vitest';

import { createRequest, createResponse, SipHeaders } from './sip-message.js';
import { serializeSipMessage, SipSerializeError } from './sip-serializer.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof SipSerializeError) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('serializeSipMessage', () => {
  it('writes canonical names, CRLF and the body length', () => {
    const request = createRequest('MESSAGE', 'sip:door@example.com', [
      { name: 'v', value: 'SIP/2.0/UDP h;branch=z9hG4bK1' },
      { name: 'call-id', value: 'x' },
      { name: 'CONTENT-LENGTH', value: '999' },
      { name: 'c', value: 'text/plain' },
    ]);
    request.body = new TextEncoder().encode('héllo');
    expect(text(serializeSipMessage(request))).toBe(
      'MESSAGE sip:door@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCall-ID: x\r\nContent-Length: 6\r\nContent-Type: text/plain\r\n\r\nhéllo',
    );
  });

  it('adds Content-Length when missing', () => {
    expect(text(serializeSipMessage(createResponse(200, 'OK')))).toBe('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n');
  });

  it.each([
    ['a CR in a value', () => createResponse(200, 'OK', [{ name: 'Subject', value: 'hi\r\nVia: evil' }]), 'SIP_HEADER_INJECTION'],
    ['a bare LF in a value', () => createResponse(200, 'OK', [{ name: 'Subject', value: 'hi\nX: y' }]), 'SIP_HEADER_INJECTION'],
    ['a line break in the reason', () => createResponse(200, 'OK\r\nX: y'), 'SIP_HEADER_INJECTION'],
    ['a line break in a name', () => createResponse(200, 'OK', [{ name: 'X\r\nY', value: 'v' }]), 'SIP_BAD_HEADER_NAME'],
    ['a colon in a name', () => createResponse(200, 'OK', [{ name: 'X:Y', value: 'v' }]), 'SIP_BAD_HEADER_NAME'],
    ['an empty name', () => createResponse(200, 'OK', [{ name: '', value: 'v' }]), 'SIP_BAD_HEADER_NAME'],
    ['a space in the method', () => createRequest('IN VITE', 'sip:a@b'), 'SIP_BAD_START_LINE'],
    ['a line break in the URI', () => createRequest('INVITE', 'sip:a@b\r\nX: y'), 'SIP_BAD_START_LINE'],
    ['status 99', () => createResponse(99, 'x'), 'SIP_BAD_START_LINE'],
  ])('refuses %s', (_, build, code) => {
    expect(codeOf(() => serializeSipMessage(build()))).toBe(code);
  });

  it('refuses a line break set later through the headers API', () => {
    const response = createResponse(200, 'OK');
    response.headers.set('Reason', 'a\rb');
    expect(codeOf(() => serializeSipMessage(response))).toBe('SIP_HEADER_INJECTION');
  });
});

describe('SipHeaders', () => {
  it('keeps order and finds names in any spelling', () => {
    const headers = new SipHeaders([
      { name: 'Via', value: 'a' },
      { name: 'To', value: 't' },
      { name: 'v', value: 'b' },
    ]);
    expect(headers.getAll('VIA')).toEqual(['a', 'b']);
    headers.prepend('Via', 'z');
    expect(headers.removeFirst('via')).toBe('z');
    headers.set('v', 'only');
    expect([...headers]).toEqual([
      { name: 'Via', value: 'only' },
      { name: 'To', value: 't' },
    ]);
    expect(headers.remove('To')).toBe(1);
    expect(headers.has('t')).toBe(false);
  });
});
