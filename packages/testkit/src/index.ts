export { createFakeMastodon } from './fake-mastodon.js';
export type { FakeMastodon } from './fake-mastodon-api.js';
export type { FakeMastodonWebSockets } from './fake-mastodon-websockets.js';
export type {
  ConnectionFilter,
  FakeConnection,
  FakeMastodonOptions,
  FakeToken,
  FakeWebSocket,
  FakeWebSocketSubscription,
  PublishTarget,
  RecordedRequest,
  ScriptedFailure,
  StreamName,
  WebSocketFilter,
} from './types.js';
export { unlistedNotificationType } from './notify-options.js';
export type { NotificationFields, NotifyOptions, StatusNotifyOptions, UnlistedNotificationType } from './notify-options.js';
export type { DeleteStatusOptions, PostStatusOptions } from './status-options.js';
export type { FeedAccess, KeywordFilterOptions, TimelinesAccessOptions, ViewerOptions } from './viewer-types.js';
export type { FakeViewer, ViewerSettings } from './viewers.js';
export type {
  AccountWarningJson,
  ConversationJson,
  ConversationOverrides,
  FakeNotificationType,
  NotificationJson,
  PollJson,
  RelationshipSeveranceEventJson,
  ReportJson,
  StatusJson,
  StatusNotificationJson,
  StatusNotificationType,
} from './entity-json.js';
export type { MentionJson, StatusOverrides, StatusTagJson } from './status-overrides.js';
export type { AccountJson, KnownAccountName } from './identities.js';
export { KNOWN_ACCOUNTS, LOCAL_DOMAIN, REMOTE_DOMAIN, buildAccount, defaultLists, defaultTokens } from './identities.js';
export { compareIds } from './snowflake.js';
export { formatReads, parseReads } from './reads-format.js';
export type { RecordedChunk } from './reads-format.js';
export { recordStream } from './stream-recorder.js';
export { REAL_SSE_CAPTURES, readRealCapture } from './real-captures.js';
export type { RealSseCapture } from './real-captures.js';
export type { RecordStreamOptions, StreamRecording } from './stream-recorder.js';
export type { ReplayOptions } from './stream-replayer.js';
export { normalizeTag } from './hashtag.js';
export type { EventSplitter, EventWriteLayout } from './event-writes.js';
export type { StreamingErrorTexts } from './streaming-rejections.js';
export type { StreamingEventName } from './payload.js';
export { createChaosServer } from './chaos-server.js';
export type { ChaosServer, ChaosServerOptions } from './chaos-server.js';
// The chaos oracle and the ledger types, also published node-free as `@tootstream/testkit/ledger`.
export {
  CHAOS_FINAL_MARKER,
  ChaosViolationError,
  assertNoChaosViolations,
  chaosLedgerFromJson,
  chaosLedgerToJson,
  chaosSeeds,
  checkChaosCatchUpOrder,
  checkChaosConnectionOrder,
  checkChaosNotifications,
  checkChaosStatuses,
  checkChaosStreamsClosed,
  countChaosInterruptions,
  findChaosTag,
  findChaosTagOfId,
} from './ledger.js';
export type {
  ChaosCatchUpItem,
  ChaosConnection,
  ChaosConnectionOrderOptions,
  ChaosEventKind,
  ChaosLedger,
  ChaosLedgerJson,
  ChaosRule,
  ChaosSeedsOptions,
  ChaosStreamCounter,
  ChaosStreamsClosedOptions,
  ChaosTimelineOptions,
  ChaosViolation,
} from './ledger.js';
