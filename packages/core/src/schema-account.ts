/**
 * Account and CustomEmoji schemas, plus the small helpers shared by every entity schema
 * (this is the leaf module of the schema graph, so the helpers live here to avoid cycles).
 *
 * Policy (from the validation policy of the tootstream entity specification, which is not shipped): unknown keys are kept
 * (`v.looseObject`), unknown enum values are accepted, ids stay strings, and only the fields
 * marked safe ✓ are required.
 */
import * as v from 'valibot';

/**
 * A string enum that stays open: the known members still show up in autocomplete, while any
 * other string (newer Mastodon versions, forks) is accepted. `string & {}` stops TypeScript
 * from collapsing the union into plain `string`.
 */
export type OpenEnum<T extends string> = T | (string & {});

/**
 * Validates an open enum: any string passes. The `known` list only drives the output type;
 * rejecting unknown members would break on every server upgrade (validation rule 2).
 */
export function openEnum<const T extends readonly string[]>(
  _known: T,
): v.GenericSchema<OpenEnum<T[number]>> {
  return v.custom<OpenEnum<T[number]>>(
    (input) => typeof input === 'string',
    (issue) => `Invalid type: Expected string but received ${issue.received}`,
  );
}

/**
 * Validates a CustomEmoji (`shortcode`, `url`, `static_url`, `visible_in_picker`; `category` since 3.0.0).
 * @example
 * v.parse(v.array(CustomEmojiSchema), json).filter((emoji) => emoji.visible_in_picker) // GET /api/v1/custom_emojis
 */
export const CustomEmojiSchema = v.looseObject({
  shortcode: v.string(),
  url: v.string(),
  static_url: v.string(),
  visible_in_picker: v.boolean(),
  category: v.nullish(v.string()),
});

/** A custom emoji as used in statuses, accounts, polls and announcements. */
export type CustomEmoji = v.InferOutput<typeof CustomEmojiSchema>;

/**
 * Validates one profile metadata field of an Account. `verified_at` (2.6.0) is nullish rather
 * than required-nullable because Pleroma-family servers have been seen to omit it.
 */
const AccountFieldSchema = v.looseObject({
  name: v.string(),
  value: v.string(),
  verified_at: v.nullish(v.string()),
});

/** Only `name` is required: forks render roles with fewer keys, and roles are decorative. */
const AccountRoleSchema = v.looseObject({
  id: v.optional(v.string()),
  name: v.string(),
  color: v.optional(v.string()),
});

// Every key except the self-reference `moved`, so the non-recursive part can be inferred.
const accountEntries = {
  id: v.string(),
  username: v.string(),
  acct: v.string(),
  url: v.nullable(v.string()),
  display_name: v.string(),
  note: v.string(),
  avatar: v.string(),
  avatar_static: v.string(),
  header: v.string(),
  header_static: v.string(),
  locked: v.boolean(),
  // Midnight UTC since 3.4.0; kept as the server's string (no Date coercion).
  created_at: v.string(),
  statuses_count: v.number(),
  followers_count: v.number(),
  following_count: v.number(),
  fields: v.array(AccountFieldSchema),
  emojis: v.array(CustomEmojiSchema),
  bot: v.boolean(),
  // Date only (`YYYY-MM-DD`) since 3.1.0.
  last_status_at: v.nullish(v.string()),
  // Required by the docs since 3.1.0 but not rendered by every server, so optional.
  group: v.optional(v.boolean()),
  discoverable: v.nullish(v.boolean()),
  // Only rendered when true.
  suspended: v.optional(v.boolean()),
  limited: v.optional(v.boolean()),
  memorial: v.optional(v.boolean()),
  noindex: v.nullish(v.boolean()),
  roles: v.nullish(v.array(AccountRoleSchema)),
  uri: v.optional(v.string()),
  indexable: v.optional(v.boolean()),
  hide_collections: v.nullish(v.boolean()),
  avatar_description: v.optional(v.string()),
  header_description: v.optional(v.string()),
  show_media: v.optional(v.boolean()),
  show_media_replies: v.optional(v.boolean()),
  show_featured: v.optional(v.boolean()),
  // Shapes not specified for streaming use; kept open.
  feature_approval: v.optional(v.looseObject({})),
  source: v.optional(v.looseObject({})),
  role: v.optional(v.looseObject({})),
} satisfies v.ObjectEntries;

const AccountBaseSchema = v.looseObject(accountEntries);

/** A Mastodon account (author, booster, notifier, conversation participant…). */
export interface Account extends v.InferOutput<typeof AccountBaseSchema> {
  /** Set when the account migrated; the target account (2.1.0). */
  moved?: Account | null | undefined;
}

/**
 * Validates an Account. Profile fields of suspended accounts are blanked (empty strings and
 * arrays), which still passes. `moved` is validated recursively.
 * @example
 * const result = v.safeParse(AccountSchema, json); if (result.success) console.log(result.output.acct);
 */
export const AccountSchema: v.GenericSchema<Account> = v.looseObject({
  ...accountEntries,
  moved: v.nullish(v.lazy(() => AccountSchema)),
});
