import type { StreamingErrorTexts } from './streaming-rejections.js';
import { authRejection, plainRejection } from './websocket-handshake.js';

/** Why a WebSocket `subscribe` or `unsubscribe` names no channel the token may listen to. */
export type ChannelRefusalReason = 'missing-scope' | 'unknown-stream' | 'missing-tag' | 'tag-not-text' | 'missing-list' | 'list-not-authorized';

type FrameTable = Readonly<Record<ChannelRefusalReason, { error: string; status: number }>>;

// 4.5.7's subscribe error frames (protocol.md §11.3), each with its HTTP-like status.
const CURRENT: FrameTable = {
  'missing-scope': { error: 'Access token does not have the required scopes', status: 401 },
  'unknown-stream': { error: 'Unknown stream type', status: 400 },
  'missing-tag': { error: 'Missing tag name parameter', status: 400 },
  // Read from the source, not captured: normalizeHashtag calls `str.normalize`, which a number,
  // object or array (a repeated `tag` in the URL) lacks, and extractStatusAndMessage answers the
  // TypeError with its generic 500.
  'tag-not-text': { error: 'An unexpected error occurred', status: 500 },
  'missing-list': { error: 'Missing list name parameter', status: 400 },
  'list-not-authorized': { error: 'Not authorized to stream this list', status: 401 },
};

// Read from the 4.0-era streaming/index.js: a failed subscribe (and unsubscribe) sent
// `{ error: err.toString() }` and nothing else. The scope check threw an Error, hence its
// "Error: " prefix; the channel lookup rejected with bare strings, which print as they are, and
// its list query failed the same way for a missing, foreign or non-numeric list. A tag that is
// not a string made the hashtag normaliser throw a TypeError, printed with its V8 message.
const PRE_4_2_TEXTS: Readonly<Record<ChannelRefusalReason, string>> = {
  'missing-scope': 'Error: Access token does not cover required scopes',
  'unknown-stream': 'Unknown stream type',
  'missing-tag': 'No tag for stream provided',
  'tag-not-text': 'TypeError: str.normalize is not a function',
  'missing-list': 'Not authorized to stream this list',
  'list-not-authorized': 'Not authorized to stream this list',
};

/**
 * The error frame answering a failed `subscribe`: `{"error","status"}` on 4.5.7, `{"error"}`
 * alone with the old texts on a pre-4.2 server.
 *
 * @example
 * subscribeErrorFrame('missing-tag', 'current') // '{"error":"Missing tag name parameter","status":400}'
 * subscribeErrorFrame('missing-tag', 'pre-4.2') // '{"error":"No tag for stream provided"}'
 */
export function subscribeErrorFrame(reason: ChannelRefusalReason, texts: StreamingErrorTexts): string {
  if (texts === 'pre-4.2') return JSON.stringify({ error: PRE_4_2_TEXTS[reason] });
  const { error, status } = CURRENT[reason];
  return JSON.stringify({ error, status });
}

/**
 * The error frame answering a failed `unsubscribe`: one fixed text on 4.5.7, whatever the cause;
 * the cause's own text on a pre-4.2 server (which never checked scopes here).
 *
 * @example
 * unsubscribeErrorFrame('unknown-stream', 'current') // '{"error":"Error unsubscribing from channel"}'
 * unsubscribeErrorFrame('unknown-stream', 'pre-4.2') // '{"error":"Unknown stream type"}'
 */
export function unsubscribeErrorFrame(reason: ChannelRefusalReason, texts: StreamingErrorTexts): string {
  if (texts === 'pre-4.2') return JSON.stringify({ error: PRE_4_2_TEXTS[reason] });
  return JSON.stringify({ error: 'Error unsubscribing from channel' });
}

/**
 * The raw answer to an upgrade whose token is missing or unusable. 4.5.7 writes an empty 401
 * with the reason in `X-Error-Message`. A pre-4.2 server left it to the `ws` library's
 * `verifyClient` refusal: `401 Unauthorized`, `text/html`, the body `Unauthorized`, no request id.
 *
 * @example
 * upgradeRefusal('Invalid access token', randomUUID(), 'pre-4.2')
 * // 'HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 12\r\n\r\nUnauthorized'
 */
export function upgradeRefusal(reason: 'Missing access token' | 'Invalid access token', requestId: string, texts: StreamingErrorTexts): string {
  if (texts === 'pre-4.2') return plainRejection(401, 'Unauthorized', 'text/html', {});
  return authRejection(401, reason, requestId);
}
