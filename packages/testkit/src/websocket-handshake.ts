import { createHash } from 'node:crypto';
import { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const KEY_SHAPE = /^[+/0-9A-Za-z]{22}==$/;

/**
 * `Sec-WebSocket-Accept` for a client key (RFC 6455 §4.2.2).
 *
 * @example
 * acceptKey('dGhlIHNhbXBsZSBub25jZQ==') // 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='
 */
export function acceptKey(clientKey: string): string {
  return createHash('sha1').update(clientKey + ACCEPT_GUID).digest('base64');
}

/**
 * The sub-protocol echoed in the 101: the first one offered. Mastodon leaves the choice to the
 * `ws` library, which picks the first, so a browser offering only its token gets it back.
 */
export function selectedProtocol(headers: IncomingHttpHeaders): string | undefined {
  const offered = headers['sec-websocket-protocol'];
  if (!offered) return undefined;
  const first = offered.split(',')[0]?.trim();
  return first ? first : undefined;
}

/** Why an upgrade request is not a valid RFC 6455 handshake. */
export interface HandshakeProblem {
  message: string;
  headers: Record<string, string>;
}

/**
 * What is wrong with the upgrade request as an RFC 6455 handshake, or undefined if nothing is.
 * The texts follow the `ws` library Mastodon uses; these answers are not in the 4.5.7 captures.
 */
export function handshakeProblem(req: IncomingMessage): HandshakeProblem | undefined {
  const problem = (message: string, headers: Record<string, string> = {}): HandshakeProblem => ({ message, headers });
  if (req.method !== 'GET') return problem('Invalid HTTP method');
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') return problem('Invalid Upgrade header');
  const key = req.headers['sec-websocket-key'];
  if (!key || !KEY_SHAPE.test(key)) return problem('Missing or invalid Sec-WebSocket-Key header');
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') {
    return problem('Missing or invalid Sec-WebSocket-Version header', { 'Sec-WebSocket-Version': '13, 8' });
  }
  return undefined;
}

/**
 * The 101 response in the header order of the 4.5.7 capture. No extension is negotiated
 * (Mastodon disables permessage-deflate).
 */
export function switchingProtocolsResponse(clientKey: string, protocol: string | undefined, requestId: string): string {
  const lines = [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${acceptKey(clientKey)}`,
    ...(protocol === undefined ? [] : [`Sec-WebSocket-Protocol: ${protocol}`]),
    `X-Request-Id: ${requestId}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * The raw rejection Mastodon writes on the socket when authentication fails at the upgrade
 * (captured: `Missing access token`, `Invalid access token`). Browsers never see it.
 *
 * @example
 * authRejection(401, 'Invalid access token', randomUUID())
 */
export function authRejection(status: number, errorMessage: string, requestId: string): string {
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
    'Connection: close\r\n' +
    'Content-Type: text/plain\r\n' +
    'Content-Length: 0\r\n' +
    `X-Request-Id: ${requestId}\r\n` +
    `X-Error-Message: ${errorMessage}\r\n` +
    '\r\n'
  );
}

/**
 * A raw response with a body, for malformed handshakes (`text/html`, as `ws` answers them) and
 * scripted failures on the upgrade.
 */
export function plainRejection(status: number, body: string, contentType: string, extraHeaders: Record<string, string>): string {
  const headers: Array<[string, string]> = [
    ['Connection', 'close'],
    ['Content-Type', contentType],
    ['Content-Length', String(Buffer.byteLength(body))],
    ...Object.entries(extraHeaders),
  ];
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${headers.map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n${body}`;
}
