/**
 * The SIP message layer of Portier's SIP stack: model, parser, stream framer,
 * serializer and header value grammars (RFC 3261 §7, §19, §20, §25). Pure:
 * no sockets, no timers, no state beyond a framer's buffer.
 */
export { badRequestResponse } from './bad-request.js';
export { quoteString, readQuotedString, splitTopLevel } from './grammar.js';
export { findParam, formatHeaderParams, paramValue, parseHeaderParams, withParam, type HeaderParam } from './header-params.js';
export { canonicalHeaderName, compactHeaderName, headerKey, isListHeader } from './header-names.js';
export { BRANCH_MAGIC_COOKIE, generateBranch, generateCallId, generateTag, isRfc3261Branch } from './identifiers.js';
export { formatNameAddr, parseNameAddr, type NameAddr } from './name-addr.js';
export { formatCSeq, isValidCallId, MAX_CSEQ, parseContentLength, parseCSeq, parseDeltaSeconds, parseMaxForwards, type CSeq } from './scalar-headers.js';
export { createRequest, createResponse, SipHeaders, type SipHeaderField, type SipMessage, type SipRequest, type SipResponse } from './sip-message.js';
export { isSipParseError, SipParseError, type AnswerableRequest, type SipParseErrorCode } from './sip-parse-error.js';
export {
  DEFAULT_MAX_HEADER_COUNT,
  DEFAULT_MAX_HEADER_LINE_LENGTH,
  DEFAULT_MAX_MESSAGE_SIZE,
  parseSipMessage,
  type SipParseOptions,
} from './sip-parser.js';
export { serializeHead, serializeSipMessage, SipSerializeError, type SipSerializeErrorCode } from './sip-serializer.js';
export { formatUri, parseSipUri, parseUri, uriParam, type AbsoluteUri, type SipUri, type Uri, type UriHeader, type UriParam } from './sip-uri.js';
export { SipStreamFramer, type StreamFramerEvent, type StreamFramerOptions } from './stream-framer.js';
export { getCallId, getContacts, getCSeq, getExpires, getFrom, getMaxForwards, getRoutes, getTag, getTo, getTopVia, getVias } from './typed-headers.js';
export { createVia, formatVia, parseVia, type Via } from './via.js';
