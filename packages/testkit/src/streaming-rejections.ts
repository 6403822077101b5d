/**
 * Why a stream request is refused: one value per row of protocol.md §6, in the order the server
 * checks them.
 */
export type StreamRejectionReason =
  | 'unknown-channel'
  | 'missing-token'
  | 'invalid-token'
  | 'missing-scope'
  | 'missing-tag'
  | 'missing-list'
  | 'list-not-authorized'
  | 'internal';

/**
 * Which streaming server's error answers to give, over SSE and WebSocket: `'current'` = Mastodon
 * 4.5.7 as captured, `'pre-4.2'` = the 4.0/4.1 streaming server.
 * @example
 * createFakeMastodon({ streamingErrorTexts: 'pre-4.2' })
 */
export type StreamingErrorTexts = 'current' | 'pre-4.2';

/** The first failing check of protocol.md §6, with the status and text to answer. */
export interface RejectedStream {
  reason: StreamRejectionReason;
  status: number;
  error: string;
}

type AnswerTable = Readonly<Record<StreamRejectionReason, { status: number; error: string }>>;

const CURRENT: AnswerTable = {
  'unknown-channel': { status: 400, error: 'Unknown channel requested' },
  'missing-token': { status: 401, error: 'Missing access token' },
  'invalid-token': { status: 401, error: 'Invalid access token' },
  'missing-scope': { status: 401, error: 'Access token does not have the required scopes' },
  'missing-tag': { status: 400, error: 'Missing tag name parameter' },
  'missing-list': { status: 400, error: 'Missing list name parameter' },
  'list-not-authorized': { status: 401, error: 'Not authorized to stream this list' },
  internal: { status: 500, error: 'An unexpected error occurred' },
};

// Read from the 4.0-era streaming/index.js (the copy that uses node-redis 4 and computes
// `filtered`). Its error middleware answered errors that carry a status with the Error's
// toString(), hence the "Error: " prefix, and every other error with the generic 500 text. The
// SSE route caught every failure of its channel lookup (unknown stream type, no tag, list not
// found / foreign / not a number, the query failing) and answered them all with a bare 404.
// A development copy from the 4.2 cycle still answers the same way.
const PRE_4_2: AnswerTable = {
  // Unverified: the old server authenticated before it looked at the path, so an unknown path
  // was refused as whatever the token check found first; with a usable token, paths under
  // /api/v1/streaming/ got this 404 (verified) and other paths Express's HTML 404 page, which
  // the fake does not reproduce.
  'unknown-channel': { status: 404, error: 'Not found' },
  // Raised only when the server required a token for every stream (limited federation or
  // authorized fetch); otherwise public streams were anonymous and the others failed the scope
  // check. The fake requires a token everywhere, as 4.2+ does, so this is the text that applies.
  'missing-token': { status: 401, error: 'Error: Missing access token' },
  'invalid-token': { status: 401, error: 'Error: Invalid access token' },
  // "cover required", not "have the required", in the old wording.
  'missing-scope': { status: 401, error: 'Error: Access token does not cover required scopes' },
  'missing-tag': { status: 404, error: 'Not found' },
  'missing-list': { status: 404, error: 'Not found' },
  'list-not-authorized': { status: 404, error: 'Not found' },
  internal: { status: 500, error: 'An unexpected error occurred' },
};

/**
 * The answer to a refused stream request in the chosen server's wording.
 *
 * @example
 * streamRejection('invalid-token', 'pre-4.2') // { reason: 'invalid-token', status: 401, error: 'Error: Invalid access token' }
 */
export function streamRejection(reason: StreamRejectionReason, texts: StreamingErrorTexts = 'current'): RejectedStream {
  const answer = (texts === 'pre-4.2' ? PRE_4_2 : CURRENT)[reason];
  return { reason, ...answer };
}
