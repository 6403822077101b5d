export { Mastodon } from './mastodon.js';
export type { MastodonOptions, PublicStreamOptions, LocalStreamOptions, HashtagStreamOptions, ListIdLike } from './mastodon-options.js';
export { StreamListener, type Awaitable, type ForStream } from './stream-listener.js';
export type { HandleStreamOptions } from './handle-stream.js';
export { CallbackStreamListener, type CallbackHandlers } from './callback-listener.js';
export { StreamHandle } from './stream-handle.js';
export {
  reconnectPolicyFor,
  type CommonStreamOptions,
  type BlockingStreamOptions,
  type AsyncStreamOptions,
  type StreamCallOptions,
} from './stream-options.js';
export { DEFAULT_STREAM_OPTIONS, DEFAULT_CLIENT_OPTIONS, RECONNECT_BACKOFF } from './defaults.js';
export { handlerNameFor, RESERVED_HANDLER_NAMES } from './handler-name.js';
export { MastodonWarning } from './warning.js';
export { VERSION_GATES, type VersionCheckMode, type StreamingFeature } from './version-gates.js';
export {
  MastodonError,
  MastodonIllegalArgumentError,
  MastodonIOError,
  MastodonNetworkError,
  MastodonReadTimeout,
  MastodonAPIError,
  MastodonNotFoundError,
  MastodonUnauthorizedError,
  MastodonServerError,
  MastodonInternalServerError,
  MastodonBadGatewayError,
  MastodonServiceUnavailableError,
  MastodonGatewayTimeoutError,
  MastodonRatelimitError,
  MastodonMalformedEventError,
  MastodonVersionError,
  type MalformedEventReason,
  type NetworkErrorCode,
  type HttpErrorDetails,
} from './errors.js';
// Core's types that the listener's handlers, hooks and errors hand out, so an app that depends on the listener alone
// (pnpm's isolated node_modules cannot reach core) can name them.
export type {
  Status,
  Account,
  Notification,
  NotificationType,
  Conversation,
  Announcement,
  AnnouncementReaction,
  MediaAttachment,
  Poll,
  PreviewCard,
  CustomEmoji,
  Mention,
  StatusTag,
  FilterResult,
  StatusVisibility,
  Quote,
  QuoteState,
  ShallowQuote,
  QuoteApproval,
  Report,
  RelationshipSeveranceEvent,
  AccountWarning,
  Reaction,
  OpenEnum,
  GapInfo,
  GapKind,
  StreamState,
  CloseReason,
  ValidationMode,
  ValidationIssue,
  TootstreamErrorCode,
} from '@tootstream/core';
