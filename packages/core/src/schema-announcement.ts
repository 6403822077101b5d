/**
 * Announcement schemas: the `announcement` event and the `announcement.reaction` event on the
 * `user` stream (3.1.0). Streamed announcements omit viewer fields (`read`, `reactions[].me`).
 */
import * as v from 'valibot';
import { CustomEmojiSchema } from './schema-account.js';
import { MentionSchema, StatusTagSchema } from './schema-status.js';

/**
 * Validates a Reaction inside `announcement.reactions[]`; `me` is absent when streamed.
 * @example
 * v.parse(v.array(ReactionSchema), json).map((reaction) => `${reaction.name} ${reaction.count}`)
 */
export const ReactionSchema = v.looseObject({
  name: v.string(),
  count: v.number(),
  me: v.optional(v.boolean()),
  // Only for custom emoji reactions.
  url: v.optional(v.string()),
  static_url: v.optional(v.string()),
});

/** An emoji reaction to an announcement. */
export type Reaction = v.InferOutput<typeof ReactionSchema>;

/**
 * Validates an Announcement. `read` is viewer-only and absent when streamed.
 * @example
 * const announcement = v.parse(AnnouncementSchema, json); if (!announcement.read) console.log(announcement.content);
 */
export const AnnouncementSchema = v.looseObject({
  id: v.string(),
  content: v.string(),
  starts_at: v.nullable(v.string()),
  ends_at: v.nullable(v.string()),
  all_day: v.boolean(),
  published_at: v.string(),
  updated_at: v.string(),
  mentions: v.array(MentionSchema),
  // 4.5 renders each as a whole Status: a remote boost's url is null (it stores none).
  statuses: v.array(
    v.looseObject({
      id: v.string(),
      url: v.nullable(v.string()),
    }),
  ),
  tags: v.array(StatusTagSchema),
  emojis: v.array(CustomEmojiSchema),
  reactions: v.array(ReactionSchema),
  read: v.optional(v.boolean()),
});

/** An instance announcement. */
export type Announcement = v.InferOutput<typeof AnnouncementSchema>;

/**
 * Validates the `announcement.reaction` payload `{name, count, announcement_id}`
 * (+ `url`, `static_url` for custom emoji). `count` is the new total, not a delta.
 * @example
 * const { announcement_id, name, count } = v.parse(AnnouncementReactionPayloadSchema, json); // count: the new total
 */
export const AnnouncementReactionPayloadSchema = v.looseObject({
  name: v.string(),
  count: v.number(),
  announcement_id: v.string(),
  url: v.optional(v.string()),
  static_url: v.optional(v.string()),
});

/** The payload of an `announcement.reaction` event. */
export type AnnouncementReaction = v.InferOutput<typeof AnnouncementReactionPayloadSchema>;
