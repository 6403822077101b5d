// The bench server's WebSocket endpoint, for the peers that stream over
// WebSocket (megalodon, masto.js) and their raw twin. It writes what Mastodon
// 4.5.7 writes (protocol.md §11, fixtures/real-mastodon-4.5.7/ws-*.raw): the
// 101 in the captured header order, then one unmasked, unfragmented text
// frame per event, `{"stream":["public"],"event":"update","payload":"<the
// status JSON as a JSON string>"}`, as fast as the client reads and no faster
// (it honours `drain`, as the SSE stream does).
//
// Auth: the token as `access_token` in the query (megalodon), `Authorization:
// Bearer` or the whole `Sec-WebSocket-Protocol` header (masto.js), as
// Mastodon accepts. The public stream starts on `?stream=public` or on a
// `{"type":"subscribe","stream":"public"}` text frame. No server pings: a
// throughput run never idles long enough for Mastodon's 30 s sweep to matter.
import { createHash, randomUUID } from 'node:crypto';
import { stampStatusId, statusIdOf } from './status-generator.mjs';

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const STREAM_PREFIX = '{"stream":["public"],"event":"update","payload":';

/**
 * A ready text frame per SSE template, with the byte offsets of the status id
 * inside it. The id is ASCII digits, which JSON string escaping leaves alone,
 * so the JSON can be escaped piecewise around the id positions.
 */
export function createFrameTemplates(templates) {
  const placeholder = statusIdOf(0);
  return templates.map((template) => {
    const pieces = [];
    let from = 0;
    for (const offset of template.idOffsets) {
      pieces.push(template.json.subarray(from, offset).toString('utf8'));
      from = offset + placeholder.length;
    }
    pieces.push(template.json.subarray(from).toString('utf8'));
    const escaped = pieces.map((piece) => JSON.stringify(piece).slice(1, -1));
    const text = `${STREAM_PREFIX}"${escaped.join(placeholder)}"}`;
    const body = Buffer.from(text, 'utf8');
    const headerLength = body.length < 126 ? 2 : body.length < 0x10000 ? 4 : 10;
    const frame = Buffer.alloc(headerLength + body.length);
    frame[0] = 0x81;
    if (headerLength === 2) frame[1] = body.length;
    else if (headerLength === 4) {
      frame[1] = 126;
      frame.writeUInt16BE(body.length, 2);
    } else {
      frame[1] = 127;
      frame.writeBigUInt64BE(BigInt(body.length), 2);
    }
    body.copy(frame, headerLength);
    // Byte offsets of the id in the frame: header, prefix, opening quote, then each escaped piece.
    const idOffsets = [];
    let offset = headerLength + Buffer.byteLength(STREAM_PREFIX) + 1;
    for (const piece of escaped.slice(0, -1)) {
      offset += Buffer.byteLength(piece);
      idOffsets.push(offset);
      offset += placeholder.length;
    }
    return { frame, idOffsets };
  });
}

function tokenOf(request, url) {
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
  return url.searchParams.get('access_token') ?? bearer?.[1] ?? request.headers['sec-websocket-protocol']?.split(',')[0].trim();
}

/**
 * The scenario key: from the `/run/<key>/` path, or else from the token as
 * `<token>.<base64url key>`. masto.js resolves `/api/v1/streaming` against
 * the origin, dropping any path, so its only per-process field is the token.
 */
export function scenarioToken(token, key) {
  return `${token}.${Buffer.from(key).toString('base64url')}`;
}

function scenarioOf(url, presented, token) {
  const match = /^\/run\/([^/]+)\//.exec(url.pathname);
  if (match !== null) return presented === token ? decodeURIComponent(match[1]) : undefined;
  if (!presented?.startsWith(`${token}.`)) return undefined;
  return Buffer.from(presented.slice(token.length + 1), 'base64url').toString('utf8');
}

/** Client frames are small (subscribe, ping, close) and masked; returns the complete ones and the rest. */
function readClientFrames(buffer) {
  const frames = [];
  let at = 0;
  while (buffer.length - at >= 2) {
    const opcode = buffer[at] & 0x0f;
    const masked = (buffer[at + 1] & 0x80) !== 0;
    let length = buffer[at + 1] & 0x7f;
    let headerLength = 2;
    if (length === 126) {
      if (buffer.length - at < 4) break;
      length = buffer.readUInt16BE(at + 2);
      headerLength = 4;
    } else if (length === 127) {
      if (buffer.length - at < 10) break;
      length = Number(buffer.readBigUInt64BE(at + 2));
      headerLength = 10;
    }
    const maskLength = masked ? 4 : 0;
    if (buffer.length - at < headerLength + maskLength + length) break;
    const payload = Buffer.from(buffer.subarray(at + headerLength + maskLength, at + headerLength + maskLength + length));
    if (masked) for (let index = 0; index < payload.length; index++) payload[index] ^= buffer[at + headerLength + (index % 4)];
    frames.push({ opcode, payload });
    at += headerLength + maskLength + length;
  }
  return { frames, rest: buffer.subarray(at) };
}

/** The `upgrade` handler: `runFor(key)` gives a scenario's run, `token` is the only accepted access token. */
export function createUpgradeHandler({ runFor, templates, token }) {
  const frameTemplates = createFrameTemplates(templates);
  return (request, socket) => {
    const url = new URL(request.url, `http://${request.headers.host}`);
    const key = scenarioOf(url, tokenOf(request, url), token);
    const requestId = randomUUID();
    if (key === undefined) {
      socket.end(`HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nX-Request-Id: ${requestId}\r\nX-Error-Message: Invalid access token\r\n\r\n`);
      return;
    }
    const accept = createHash('sha1').update(request.headers['sec-websocket-key'] + ACCEPT_GUID).digest('base64');
    const protocol = request.headers['sec-websocket-protocol']?.split(',')[0].trim();
    const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`];
    if (protocol) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
    lines.push(`X-Request-Id: ${requestId}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    socket.setNoDelay(true);
    const run = runFor(key);
    run.connections++;

    let closed = false;
    let streaming = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => (closed = true));
    const pump = () => {
      if (closed) return;
      socket.cork();
      let writable = true;
      while (writable) {
        const sequence = ++run.head;
        const template = frameTemplates[sequence % frameTemplates.length];
        // A copy per write: a queued buffer must not change under the next stamp.
        writable = socket.write(stampStatusId(template, Buffer.from(template.frame), 0, statusIdOf(sequence)));
      }
      socket.uncork();
      socket.once('drain', pump);
    };
    const startStreaming = () => {
      if (streaming) return;
      streaming = true;
      pump();
    };

    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      const { frames, rest } = readClientFrames(pending.length === 0 ? chunk : Buffer.concat([pending, chunk]));
      pending = Buffer.from(rest);
      for (const { opcode, payload } of frames) {
        if (opcode === 0x8) {
          // Echo the close and end the socket, as `ws` (Mastodon's library) does.
          closed = true;
          socket.end(Buffer.concat([Buffer.from([0x88, Math.min(payload.length, 125)]), payload.subarray(0, 125)]));
        } else if (opcode === 0x9) {
          socket.write(Buffer.concat([Buffer.from([0x8a, payload.length]), payload]));
        } else if (opcode === 0x1) {
          let message;
          try {
            message = JSON.parse(payload.toString('utf8'));
          } catch {
            continue; // Mastodon ignores non-JSON text and keeps the socket open.
          }
          if (message.type === 'subscribe' && message.stream === 'public') startStreaming();
        }
      }
    });
    if (url.searchParams.get('stream') === 'public') startStreaming();
  };
}
