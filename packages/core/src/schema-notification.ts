/**
 * Notification schema (the `notification` event on `user` and `user:notification`) and the
 * objects that some notification types attach. Streaming always sends ungrouped notifications.
 */
import * as v from 'valibot';
import { AccountSchema, openEnum } from './schema-account.js';
import type { OpenEnum } from './schema-account.js';
import { StatusSchema } from './schema-status.js';

/** Known notification types; undocumented ones exist, so any other string is accepted too. */
export type NotificationType = OpenEnum<
  | 'mention'
  | 'reblog'
  | 'follow'
  | 'favourite'
  | 'poll'
  | 'follow_request'
  | 'status'
  | 'update'
  | 'admin.sign_up'
  | 'admin.report'
  | 'severed_relationships'
  | 'moderation_warning'
  | 'quote'
  | 'quoted_update'
  | 'added_to_collection'
  | 'collection_update'
>;

const NotificationTypeSchema: v.GenericSchema<NotificationType> = openEnum([
  'mention',
  'reblog',
  'follow',
  'favourite',
  'poll',
  'follow_request',
  'status',
  'update',
  'admin.sign_up',
  'admin.report',
  'severed_relationships',
  'moderation_warning',
  'quote',
  'quoted_update',
  'added_to_collection',
  'collection_update',
]);

// Sub-entities have no "safe" column in entities.md: only their identity (and discriminant)
// is required, the rest stays optional so a fork's partial rendering is not rejected.

/**
 * Validates a Report attached to `admin.report` notifications (4.0.0).
 * @example
 * const report = v.parse(ReportSchema, json); console.log(report.category, report.target_account?.acct);
 */
export const ReportSchema = v.looseObject({
  id: v.string(),
  action_taken: v.optional(v.boolean()),
  action_taken_at: v.nullish(v.string()),
  category: v.optional(openEnum(['spam', 'violation', 'legacy', 'other'])),
  comment: v.optional(v.string()),
  // null for a report on a remote account filed without `forward` (ReportService#forward_to_origin? is nil && …).
  forwarded: v.nullish(v.boolean()),
  created_at: v.optional(v.string()),
  status_ids: v.nullish(v.array(v.string())),
  rule_ids: v.nullish(v.array(v.string())),
  collection_ids: v.nullish(v.array(v.string())),
  target_account: v.optional(AccountSchema),
});

/** A moderation report (admin notifications). */
export type Report = v.InferOutput<typeof ReportSchema>;

/**
 * Validates the `event` of `severed_relationships` notifications (4.3.0).
 * @example
 * const { type, target_name } = v.parse(RelationshipSeveranceEventSchema, json); // e.g. 'domain_block', 'spam.example'
 */
export const RelationshipSeveranceEventSchema = v.looseObject({
  id: v.string(),
  type: openEnum(['domain_block', 'user_domain_block', 'account_suspension']),
  purged: v.optional(v.boolean()),
  target_name: v.optional(v.string()),
  followers_count: v.optional(v.number()),
  following_count: v.optional(v.number()),
  created_at: v.optional(v.string()),
});

/** Why follow relationships were severed. */
export type RelationshipSeveranceEvent = v.InferOutput<typeof RelationshipSeveranceEventSchema>;

/**
 * Validates the `moderation_warning` of `moderation_warning` notifications (4.3.0).
 * @example
 * const warning = v.parse(AccountWarningSchema, json); console.log(warning.action, warning.text);
 */
export const AccountWarningSchema = v.looseObject({
  id: v.string(),
  action: openEnum([
    'none',
    'disable',
    'mark_statuses_as_sensitive',
    'delete_statuses',
    'sensitive',
    'silence',
    'suspend',
  ]),
  text: v.optional(v.string()),
  target_account: v.optional(AccountSchema),
  created_at: v.optional(v.string()),
  status_ids: v.nullish(v.array(v.string())),
  appeal: v.nullish(v.looseObject({})),
});

/** A moderation warning issued to the viewer's account. */
export type AccountWarning = v.InferOutput<typeof AccountWarningSchema>;

/**
 * Validates a Notification. Only `id type created_at account` are required; `group_key` is
 * rendered since 4.3.0 (`ungrouped-<id>` when streamed). `status` is nullish rather than
 * optional so a server that renders a vanished status as `null` is not rejected.
 * @example
 * const notification = v.parse(NotificationSchema, json); if (notification.type === 'mention') console.log(notification.status?.content);
 */
export const NotificationSchema = v.looseObject({
  id: v.string(),
  type: NotificationTypeSchema,
  created_at: v.string(),
  account: AccountSchema,
  status: v.nullish(StatusSchema),
  report: v.optional(ReportSchema),
  group_key: v.optional(v.string()),
  event: v.optional(RelationshipSeveranceEventSchema),
  moderation_warning: v.optional(AccountWarningSchema),
  // Only with `supported_types` on REST (4.6.0).
  fallback: v.optional(
    v.looseObject({
      title: v.string(),
      summary: v.nullish(v.string()),
      details: v.nullish(v.string()),
    }),
  ),
  // Collection shape is not specified (4.6.0); kept open.
  collection: v.optional(v.looseObject({})),
});

/** A notification for the viewer. */
export type Notification = v.InferOutput<typeof NotificationSchema>;
