export { createClient, type MastodonClient, type InstanceDocument } from './client.js';
export { MastodonStream } from './mastodon-stream.js';
export { STREAM_NAMES, isStreamName, type StreamName, type StreamParams, type StreamParamsFor, type PublicStreamParams } from './stream-names.js';
export {
  KNOWN_EVENT_NAMES,
  type MastodonEvent,
  type MastodonEventName,
  type PayloadOf,
  type EventSourceKind,
  type UpdateEvent,
  type DeleteEvent,
  type NotificationEvent,
  type ConversationEvent,
  type StatusUpdateEvent,
  type FiltersChangedEvent,
  type AnnouncementEvent,
  type AnnouncementReactionEvent,
  type AnnouncementDeleteEvent,
  type NotificationsMergedEvent,
  type EncryptedMessageEvent,
  type UnknownEvent,
} from './events.js';
export {
  TootstreamError,
  MastodonArgumentError,
  MastodonNetworkError,
  MastodonApiError,
  MastodonContentTypeError,
  MastodonMalformedEventError,
  MastodonEventTooLargeError,
  MastodonStallError,
  MastodonReconnectExhaustedError,
  isTootstreamError,
  isMastodonApiError,
  isMastodonNetworkError,
  isMastodonMalformedEventError,
  type TootstreamErrorCode,
  type ValidationIssue,
} from './errors.js';
export { StreamEndedError } from './stream-ended-error.js';
export type { AnyTootstreamError } from './error-union.js';
export {
  DEFAULT_RECONNECT_POLICY,
  DEFAULT_CATCH_UP_POLICY,
  DEFAULT_STREAM_OPTIONS,
  type ClientOptions,
  type StreamOptions,
  type ReconnectPolicy,
  type CatchUpPolicy,
} from './options.js';
export type { StreamHooks, StreamState, StreamStats, CloseReason, GapInfo, GapKind, CatchUpProgress } from './stream-hooks.js';
export type { StreamCursor } from './cursor.js';
export type { ValidationMode } from './event-decoder.js';
export { systemClock, type Clock, type RandomSource } from './clock.js';
export { compareIds } from './ids.js';
// The guard that makes these a union, isKnownNotification, is at '@tootstream/core/schemas' (no up-front cost).
export type { KnownNotification, KnownNotificationType, NotificationOf } from './known-notification.js';
// The valibot schemas are at '@tootstream/core/schemas' (a separate entry, so that
// apps which never use valibot themselves do not ship it).
export type {
  Status,
  Account,
  Notification,
  NotificationType,
  Conversation,
  Announcement,
  AnnouncementStatus,
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
} from './schemas.js';
