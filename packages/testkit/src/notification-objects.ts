// The objects a notification carries besides its sender, as Mastodon 4.5's serializers render them:
// the Poll of a `poll` notification's status. Each kind has its own ids, counted from 1 per server,
// as each is a PostgreSQL bigserial row, not a snowflake.
import type { PollJson } from './entity-json.js';

/** Per-server ids of the objects attached to notifications, one sequence per table. */
export class AttachedObjectIds {
  private readonly last = new Map<string, number>();

  next(table: string): string {
    const id = (this.last.get(table) ?? 0) + 1;
    this.last.set(table, id);
    return String(id);
  }
}

// A poll notification is about an ended poll (PollExpirationNotifyWorker runs at its expires_at), so
// its results are shown (Poll#show_totals_now?): two options, three single-choice voters.
const OPTIONS = [
  { title: 'yes', votes_count: 2 },
  { title: 'no', votes_count: 1 },
] as const;

/**
 * An ended poll rendered for `readerId` (REST::PollSerializer): PollExpirationNotifyWorker notifies
 * the poll's author and its local voters. Poll#voted? is true for the author, who may not vote
 * (VoteValidator's self_vote), so its `own_votes` are empty; any other recipient voted, for the
 * first option.
 *
 * @example
 * endedPoll('1', '2026-11-28T11:19:28.000Z', '1002', '1001') // voted: true, own_votes: [0]
 */
export function endedPoll(id: string, expiresAt: string, authorId: string, readerId: string): PollJson {
  const votesCount = OPTIONS.reduce((sum, option) => sum + option.votes_count, 0);
  return {
    id,
    expires_at: expiresAt,
    expired: true,
    multiple: false,
    votes_count: votesCount,
    // A local poll counts its voters (PostStatusService starts it at 0); single choice: one vote each.
    voters_count: votesCount,
    voted: true,
    own_votes: readerId === authorId ? [] : [0],
    options: OPTIONS.map((option) => ({ ...option })),
    emojis: [],
  };
}
