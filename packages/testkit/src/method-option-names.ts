// The names of the options each FakeMastodon method (and recordStream) takes, one table per
// options type, each held to its type (see OptionNames): the methods refuse any other name at
// the call, before they change anything (see option-names.ts).
import type { FakeMastodon } from './fake-mastodon-api.js';
import type { OptionNames } from './option-names.js';
import type { DeleteStatusOptions, PostStatusOptions } from './status-options.js';
import type { RecordStreamOptions, StreamRecording } from './stream-recorder.js';
import type { ReplayOptions } from './stream-replayer.js';
import type { PublishTarget, ScriptedFailure } from './types.js';

/** The options object a method takes as its argument number `Index`. */
type OptionsOf<Method extends (...args: never[]) => unknown, Index extends number> = Exclude<Parameters<Method>[Index], undefined | number>;

/** `waitForConnection`, `waitForConnectionCount`, `waitForWebSocket` and a recording's `waitFor` share their one option. */
export const WAIT_OPTIONS = { timeoutMs: 'optional' } as const satisfies OptionNames<OptionsOf<FakeMastodon['waitForConnection'], 1>> &
  OptionNames<OptionsOf<FakeMastodon['waitForConnectionCount'], 1>> &
  OptionNames<OptionsOf<FakeMastodon['waitForWebSocket'], 1>> &
  OptionNames<OptionsOf<StreamRecording['waitFor'], 1>>;

export const WAIT_FOR_REQUEST_OPTIONS = { timeoutMs: 'optional', fromNow: 'optional' } as const satisfies OptionNames<OptionsOf<FakeMastodon['waitForRequest'], 1>>;

export const DROP_CONNECTIONS_OPTIONS = { midFrame: 'optional' } as const satisfies OptionNames<OptionsOf<FakeMastodon['dropConnections'], 1>>;

export const STALL_OPTIONS = { keepHeartbeats: 'optional' } as const satisfies OptionNames<OptionsOf<FakeMastodon['stall'], 1>>;

export const STALL_WEBSOCKETS_OPTIONS = { keepPings: 'optional' } as const satisfies OptionNames<OptionsOf<FakeMastodon['stallWebSockets'], 1>>;

export const RATE_LIMIT_NEXT_OPTIONS = { times: 'optional', resetInMs: 'optional' } as const satisfies OptionNames<OptionsOf<FakeMastodon['rateLimitNext'], 0>>;

/** What `conversation` puts over the conversation it makes: a conversation it returned goes back in as it is. */
export const CONVERSATION_OVERRIDES = { id: 'optional', unread: 'optional', accounts: 'optional', last_status: 'optional' } as const satisfies OptionNames<OptionsOf<FakeMastodon['conversation'], 1>>;

export const RESTART_OPTIONS = { downMs: 'optional' } as const satisfies OptionNames<OptionsOf<FakeMastodon['restart'], 0>>;

export const FAIL_NEXT_OPTIONS = {
  status: 'required',
  body: 'optional',
  headers: 'optional',
  times: 'optional',
  paths: 'optional',
  path: 'optional',
  method: 'optional',
  delayMs: 'optional',
  holdOpen: 'optional',
} as const satisfies OptionNames<ScriptedFailure>;

export const REPLAY_OPTIONS = { timeScale: 'optional', beforeChunk: 'optional', afterLast: 'optional', paths: 'optional' } as const satisfies OptionNames<ReplayOptions>;

export const POST_STATUS_OPTIONS = {
  account: 'optional',
  tags: 'optional',
  media: 'optional',
  visibility: 'optional',
  local: 'optional',
  inListIds: 'optional',
  homeOf: 'optional',
} as const satisfies OptionNames<PostStatusOptions>;

export const DELETE_STATUS_OPTIONS = { staleInHomeOf: 'optional' } as const satisfies OptionNames<DeleteStatusOptions>;

/** `publish`'s target given as an object: a misspelt `tag` or `list` would publish to every tag or list. */
export const PUBLISH_TARGET_OPTIONS = { stream: 'required', tag: 'optional', list: 'optional', accountId: 'optional' } as const satisfies OptionNames<PublishTarget>;

export const RECORD_STREAM_OPTIONS = { headers: 'optional', durationMs: 'optional' } as const satisfies OptionNames<RecordStreamOptions>;
