import type { TootstreamErrorCode } from '@tootstream/core';

/** The options every error class of this package takes: the error it was made from. */
export type CauseOption = { cause?: unknown };

/** The codes a `MastodonNetworkError` carries: `NETWORK`, or what core said ended the stream. */
export type NetworkErrorCode = Extract<TootstreamErrorCode, 'NETWORK' | 'STREAM_ENDED' | 'EVENT_TOO_LARGE' | 'STALLED'>;

/** Why an event was rejected; the same strings as Mastodon.py. */
export type MalformedEventReason = 'Missing field' | 'Bad JSON' | 'Malformed UTF-8' | 'received bad update' | 'Failed validation';
