import type { Announcement, AnnouncementReaction, Conversation, Notification, Status } from './schemas.js';

/** `live` events came over the stream; `catchup` events were backfilled over REST after a gap. */
export type EventSourceKind = 'live' | 'catchup';

interface EventBase<Name extends string, Payload> {
  /** The wire event name. */
  event: Name;
  payload: Payload;
  /** WebSocket-style stream label, e.g. `['hashtag', 'rust']` or `['public:local']`. */
  stream: readonly string[];
  source: EventSourceKind;
}

/** A new status. */
export type UpdateEvent = EventBase<'update', Status>;
/** A status was deleted; the payload is its id (a string, never a number). */
export type DeleteEvent = EventBase<'delete', string>;
/** A new notification. */
export type NotificationEvent = EventBase<'notification', Notification>;
/** A direct conversation changed. */
export type ConversationEvent = EventBase<'conversation', Conversation>;
/** A status was edited. */
export type StatusUpdateEvent = EventBase<'status.update', Status>;
/** The user's filters changed; refetch them. The payload is whatever text the server sent, or `undefined`. */
export type FiltersChangedEvent = EventBase<'filters_changed', string | undefined>;
/** A new or changed announcement. */
export type AnnouncementEvent = EventBase<'announcement', Announcement>;
/** A reaction on an announcement changed. */
export type AnnouncementReactionEvent = EventBase<'announcement.reaction', AnnouncementReaction>;
/** An announcement was deleted; the payload is its id. */
export type AnnouncementDeleteEvent = EventBase<'announcement.delete', string>;
/** Accepted notification requests finished merging; refresh notifications. The payload is the raw text (`"1"`). */
export type NotificationsMergedEvent = EventBase<'notifications_merged', string>;
/** Legacy end-to-end encryption event (Mastodon 3.2, unused since); the payload is the parsed JSON, unchecked (data that is not JSON is a malformed event). */
export type EncryptedMessageEvent = EventBase<'encrypted_message', unknown>;

/** An event this SDK does not know (fork extensions, newer servers). Never fatal. */
export interface UnknownEvent {
  event: 'unknown';
  /** The wire event name (`message` when the server sent none). */
  name: string;
  /** The raw data text. */
  data: string;
  stream: readonly string[];
  source: EventSourceKind;
}

/** Every event a Mastodon stream can deliver, discriminated by `event`. */
export type MastodonEvent =
  | UpdateEvent
  | DeleteEvent
  | NotificationEvent
  | ConversationEvent
  | StatusUpdateEvent
  | FiltersChangedEvent
  | AnnouncementEvent
  | AnnouncementReactionEvent
  | AnnouncementDeleteEvent
  | NotificationsMergedEvent
  | EncryptedMessageEvent
  | UnknownEvent;

/** The wire names of the known events. */
export type MastodonEventName = Exclude<MastodonEvent['event'], 'unknown'>;

/** The payload type of a known event name. */
// UnknownEvent is taken out first: TypeScript before 5.4 keeps its (payload-less) member in the Extract and refuses the index.
export type PayloadOf<Name extends MastodonEventName> = Extract<Exclude<MastodonEvent, UnknownEvent>, { event: Name }>['payload'];

/**
 * The known event names, for runtime checks.
 *
 * @example
 * ```ts
 * if (!KNOWN_EVENT_NAMES.includes(name as MastodonEventName)) console.log('new event type:', name);
 * ```
 */
export const KNOWN_EVENT_NAMES: readonly MastodonEventName[] = [
  'update',
  'delete',
  'notification',
  'conversation',
  'status.update',
  'filters_changed',
  'announcement',
  'announcement.reaction',
  'announcement.delete',
  'notifications_merged',
  'encrypted_message',
];
