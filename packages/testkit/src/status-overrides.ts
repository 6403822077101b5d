import type { StatusJson } from './entity-json.js';
import type { AccountJson } from './identities.js';

/** One entry of a status's `mentions`, as Mastodon renders it (Status::Mention). */
export interface MentionJson {
  id: string;
  username: string;
  /** null for an account without a URL (OStatus-era remotes), as 4.5 renders it. */
  url: string | null;
  acct: string;
}

/** One entry of a status's `tags`; Mastodon always renders `url`, the fake routes by `name` alone. */
export interface StatusTagJson {
  name: string;
  url?: string | undefined;
}

/**
 * The fields `postStatus` and `editStatus` put over the status the fake generates, each
 * optional, typed as Mastodon 4.5 renders them. A key it does not list, such as a misspelt one,
 * is a type error; for a fork's extra field write the object as a `StatusOverrides` with a cast
 * (`{ content, local_only: true } as StatusOverrides`): the fake appends unknown keys as given.
 * Nested entities (attachments, polls, cards) are loosely typed: the fake keeps them as they are.
 *
 * @example
 * const reply: StatusOverrides = { content: '<p>hi</p>', in_reply_to_id: parent.id, language: 'de' };
 * server.postStatus(reply, { account: 'bob' });
 */
export interface StatusOverrides {
  id?: string | undefined;
  created_at?: string | undefined;
  in_reply_to_id?: string | null | undefined;
  in_reply_to_account_id?: string | null | undefined;
  sensitive?: boolean | undefined;
  spoiler_text?: string | undefined;
  /**
   * Also what fan-out reads; `PostStatusOptions.visibility` is the usual way to set it. Open to
   * other names, as @tootstream/core's `StatusVisibility` is (a fork's `local`): such a status
   * reaches no public stream and is shown like `unlisted`.
   */
  visibility?: StatusJson['visibility'] | undefined;
  language?: string | null | undefined;
  uri?: string | undefined;
  url?: string | null | undefined;
  replies_count?: number | undefined;
  reblogs_count?: number | undefined;
  favourites_count?: number | undefined;
  quotes_count?: number | undefined;
  edited_at?: string | null | undefined;
  content?: string | undefined;
  /**
   * A boost carries the boosted status (one the fake returned, or a core `Status`); boosts reach
   * no public or hashtag stream.
   */
  reblog?: (StatusOverrides & { id: string; created_at: string; visibility: StatusJson['visibility']; account: AccountJson }) | null | undefined;
  quote?: Record<string, unknown> | null | undefined;
  /** Mastodon renders `website` (null when unset); core's `Status` has it optional, so it may be left out. */
  application?: { name: string; website?: string | null | undefined } | null | undefined;
  /** `PostStatusOptions.account` is the usual way to set the author. */
  account?: AccountJson | undefined;
  media_attachments?: ReadonlyArray<Record<string, unknown>> | undefined;
  /** Who the status mentions; mentioned accounts get its `delete` on their `user` streams. */
  mentions?: readonly MentionJson[] | undefined;
  /** `PostStatusOptions.tags` is the usual way; tags given here route the status too. */
  tags?: readonly StatusTagJson[] | undefined;
  emojis?: ReadonlyArray<Record<string, unknown>> | undefined;
  quote_approval?: Record<string, unknown> | undefined;
  card?: Record<string, unknown> | null | undefined;
  poll?: Record<string, unknown> | null | undefined;
  /** Present = the fake adds no keyword-filter results of its own on public and hashtag streams. */
  filtered?: ReadonlyArray<Record<string, unknown>> | undefined;
  /** Viewer fields; personal and REST renderings add them as `false` when absent. */
  favourited?: boolean | undefined;
  reblogged?: boolean | undefined;
  muted?: boolean | undefined;
  bookmarked?: boolean | undefined;
  pinned?: boolean | undefined;
}

/**
 * Refuses `mentions` that are not an array (null, an object), as plain JavaScript can pass: stored, they made the
 * edit throw after the status had changed and its `status.update` had gone out, and every later edit of it throw.
 *
 * @example
 * checkMentions('editStatus', changes.mentions); // throws a TypeError for null
 */
export function checkMentions(call: 'postStatus' | 'editStatus', mentions: unknown): void {
  if (mentions !== undefined && !Array.isArray(mentions)) throw new TypeError(`FakeMastodon.${call}: mentions must be an array of Mention objects (or left out), got ${mentions === null ? 'null' : typeof mentions}`);
}
