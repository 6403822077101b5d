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
import type { PayloadEvent } from './essential-checks.js';

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

/**
 * Cheaply validates an `update` / `status.update` payload: ids, dates, content, author; no deep checks.
 * @example
 * if (v.is(StatusEssentialsSchema, json)) console.log(json.account.acct, json.content);
 */
export const StatusEssentialsSchema = v.object({
  id: v.string(),
  created_at: v.string(),
  content: v.string(),
  visibility: v.string(),
  account: accountEssentials,
  edited_at: v.nullish(v.string()),
  reblog: v.nullable(anyObject),
  media_attachments: anyArray,
});

/**
 * Cheaply validates a `notification` payload; `type` is any string (unknown types exist).
 * @example
 * if (v.is(NotificationEssentialsSchema, json)) console.log(json.type, json.account.acct);
 */
export const NotificationEssentialsSchema = v.object({
  id: v.string(),
  type: v.string(),
  created_at: v.string(),
  account: accountEssentials,
  status: v.nullish(anyObject),
});

/**
 * Cheaply validates a `conversation` payload (`direct` stream).
 * @example
 * if (v.is(ConversationEssentialsSchema, json)) console.log(json.id, json.unread);
 */
export const ConversationEssentialsSchema = v.object({
  id: v.string(),
  accounts: anyArray,
  unread: v.boolean(),
  last_status: v.nullable(anyObject),
});

/**
 * Cheaply validates an `announcement` payload.
 * @example
 * if (v.is(AnnouncementEssentialsSchema, json)) console.log(json.id, json.content);
 */
export const AnnouncementEssentialsSchema = v.object({
  id: v.string(),
  content: v.string(),
});

/**
 * Cheaply validates an `announcement.reaction` payload.
 * @example
 * if (v.is(AnnouncementReactionEssentialsSchema, json)) console.log(json.announcement_id, json.name, json.count);
 */
export const AnnouncementReactionEssentialsSchema = v.object({
  name: v.string(),
  count: v.number(),
  announcement_id: v.string(),
});

/**
 * The cheap default schema per JSON-bearing event; core loads the deep ones (`fullSchemas`) only for `validate: 'full'`.
 *
 * @example
 * ```ts
 * import * as v from 'valibot';
 * import { essentialSchemas } from '@tootstream/core/schemas';
 * if (!v.is(essentialSchemas.notification, payload)) console.warn('not a notification');
 * ```
 */
export const essentialSchemas = {
  update: StatusEssentialsSchema,
  'status.update': StatusEssentialsSchema,
  notification: NotificationEssentialsSchema,
  conversation: ConversationEssentialsSchema,
  announcement: AnnouncementEssentialsSchema,
  'announcement.reaction': AnnouncementReactionEssentialsSchema,
} as const satisfies Record<PayloadEvent, v.GenericSchema>;

/** An event name that carries a JSON payload. */
export type { PayloadEvent };
