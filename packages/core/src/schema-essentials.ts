/**
 * Cheap "essentials" schemas used by default at runtime, and the per-event schema map used by
 * the decoder.
 *
 * Why these exist: default validation must stay within ~10% of a bare `JSON.parse`. The caller
 * keeps its own parsed object and only asks for a verdict (`v.is` / `v.safeParse`), so these
 * use `v.object` (only the listed keys are visited; unknown keys are neither iterated nor
 * copied), never recurse into nested statuses, and never walk array elements. They check just
 * what the SDK and typical users rely on; the full schemas are opt-in.
 */
import * as v from 'valibot';
import { AnnouncementReactionPayloadSchema, AnnouncementSchema } from './schema-announcement.js';
import { ConversationSchema } from './schema-conversation.js';
import { NotificationSchema } from './schema-notification.js';
import { StatusSchema } from './schema-status.js';

// Array.isArray instead of v.array(v.unknown()): no per-element work, no copy.
const anyArray = v.custom<unknown[]>(
  (input) => Array.isArray(input),
  (issue) => `Invalid type: Expected Array but received ${issue.received}`,
);

// An object of any shape; `v.object({})` visits no keys.
const anyObject = v.object({});

const accountEssentials = v.object({
  id: v.string(),
  acct: v.string(),
});

/** Cheaply validates an `update` / `status.update` payload: ids, dates, content, author; no deep checks. */
export const StatusEssentialsSchema = v.object({
  id: v.string(),
  created_at: v.string(),
  content: v.string(),
  visibility: v.string(),
  account: accountEssentials,
  edited_at: v.nullish(v.string()),
  reblog: v.nullish(anyObject),
  media_attachments: anyArray,
});

/** Cheaply validates a `notification` payload; `type` is any string (unknown types exist). */
export const NotificationEssentialsSchema = v.object({
  id: v.string(),
  type: v.string(),
  created_at: v.string(),
  account: accountEssentials,
  status: v.nullish(anyObject),
});

/** Cheaply validates a `conversation` payload (`direct` stream). */
export const ConversationEssentialsSchema = v.object({
  id: v.string(),
  accounts: anyArray,
  unread: v.optional(v.boolean()),
  last_status: v.nullish(anyObject),
});

/** Cheaply validates an `announcement` payload. */
export const AnnouncementEssentialsSchema = v.object({
  id: v.string(),
  content: v.string(),
});

/** Cheaply validates an `announcement.reaction` payload. */
export const AnnouncementReactionEssentialsSchema = v.object({
  name: v.string(),
  count: v.number(),
  announcement_id: v.string(),
});

/**
 * Schemas per JSON-bearing event: `essentials` (cheap, the default) and `full` (deep, opt-in).
 * Id-bearing events (`delete`, `announcement.delete`) and `notifications_merged` are not JSON
 * and have no entry.
 *
 * @example
 * ```ts
 * import * as v from 'valibot';
 * const value: unknown = JSON.parse(data);
 * const ok = v.is(payloadSchemas.update.essentials, value); // cheap verdict, keep `value`
 * const status = v.parse(payloadSchemas.update.full, value); // deep, typed as Status
 * ```
 */
export const payloadSchemas = {
  update: { essentials: StatusEssentialsSchema, full: StatusSchema },
  'status.update': { essentials: StatusEssentialsSchema, full: StatusSchema },
  notification: { essentials: NotificationEssentialsSchema, full: NotificationSchema },
  conversation: { essentials: ConversationEssentialsSchema, full: ConversationSchema },
  announcement: { essentials: AnnouncementEssentialsSchema, full: AnnouncementSchema },
  'announcement.reaction': {
    essentials: AnnouncementReactionEssentialsSchema,
    full: AnnouncementReactionPayloadSchema,
  },
} as const;

/** An event name that carries a JSON payload validated by {@link payloadSchemas}. */
export type PayloadEvent = keyof typeof payloadSchemas;
