import type { StatusJson } from './entities.js';
import type { AccountJson } from './identities.js';

/** One entry of a status's `mentions`, as Mastodon renders it (Status::Mention). */
export interface MentionJson {
  id: string;
  username: string;
  url: string;
  acct: string;
}

/** One entry of a status's `tags`; Mastodon always renders `url`, the fake routes by `name` alone. */
export interface StatusTagJson {
  name: string;
  url?: string;
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
  id?: string;
  created_at?: string;
  in_reply_to_id?: string | null;
  in_reply_to_account_id?: string | null;
  sensitive?: boolean;
  spoiler_text?: string;
  /** Also what fan-out reads; `PostStatusOptions.visibility` is the usual way to set it. */
  visibility?: 'public' | 'unlisted' | 'private' | 'direct';
  language?: string | null;
  uri?: string;
  url?: string | null;
  replies_count?: number;
  reblogs_count?: number;
  favourites_count?: number;
  quotes_count?: number;
  edited_at?: string | null;
  content?: string;
  /** A boost carries the boosted status; boosts reach no public or hashtag stream. */
  reblog?: StatusJson | null;
  quote?: Record<string, unknown> | null;
  application?: { name: string; website: string | null } | null;
  /** `PostStatusOptions.account` is the usual way to set the author. */
  account?: AccountJson;
  media_attachments?: ReadonlyArray<Record<string, unknown>>;
  /** Who the status mentions; mentioned accounts get its `delete` on their `user` streams. */
  mentions?: readonly MentionJson[];
  /** `PostStatusOptions.tags` is the usual way; tags given here route the status too. */
  tags?: readonly StatusTagJson[];
  emojis?: ReadonlyArray<Record<string, unknown>>;
  quote_approval?: Record<string, unknown>;
  card?: Record<string, unknown> | null;
  poll?: Record<string, unknown> | null;
  /** Present = the fake adds no keyword-filter results of its own on public and hashtag streams. */
  filtered?: ReadonlyArray<Record<string, unknown>>;
  /** Viewer fields; personal and REST renderings add them as `false` when absent. */
  favourited?: boolean;
  reblogged?: boolean;
  muted?: boolean;
  bookmarked?: boolean;
  pinned?: boolean;
}
