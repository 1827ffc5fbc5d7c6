import { PortierError } from 'portier/sdk';

export type SipTransportErrorCode = 'SIP_TRANSPORT_ERROR' | 'SIP_TRANSPORT_UNAVAILABLE' | 'SIP_BIND_FAILED';

export class SipTransportError extends PortierError {
  declare readonly code: SipTransportErrorCode;

  constructor(code: SipTransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, [], options);
    this.name = 'SipTransportError';
  }
}
