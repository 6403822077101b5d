import type { AccountJson, KnownAccountName } from './identities.js';

// The options of the content methods that create and delete statuses, apart from the Publisher that applies them.

/** Options of {@link FakeMastodon.postStatus}. */
export interface PostStatusOptions {
  /** Author: a fixture name or an Account object; default `'alice'`. */
  account?: KnownAccountName | AccountJson | undefined;
  /** Hashtags (without `#`). */
  tags?: string[] | undefined;
  /** Number of image attachments to generate. */
  media?: number | undefined;
  visibility?: 'public' | 'unlisted' | 'private' | 'direct' | undefined;
  /** Overrides the `acct`-based local/remote decision. */
  local?: boolean | undefined;
  /** Lists that receive the status. */
  inListIds?: string[] | undefined;
  /**
   * Accounts whose home feed (and `user` stream) receives it. Default: every account that owns a
   * token, standing in for the author's followers; for a `direct` status, only those of them that
   * wrote it or are among its `mentions` (Mastodon sends a direct message to no one else's home).
   */
  homeOf?: string[] | undefined;
}

/** Options of {@link FakeMastodon.deleteStatus}. */
export interface DeleteStatusOptions {
  /**
   * Accounts whose home feed keeps the status's entry after the delete, and whose `user` stream
   * gets no `delete` for it (unless the status mentions them). RemoveStatusService takes a status
   * out of its author's home, its followers' homes and the lists that hold its author, not out of
   * the homes it reached through a followed hashtag: there the entry stays, counted against a
   * home timeline page's `limit` and left out of the page.
   */
  staleInHomeOf?: string[] | undefined;
}
