import type { PollJson } from './entity-json.js';
import { preparedOptions, titlesOf, type PollInput } from './poll-validation.js';
import { railsBoolean } from './sensitive-param.js';

/** A poll as {@link pollOfParam} makes it: PollJson's fields, with the `expires_in` that `postStatus` and `editStatus` turn into `expires_at`. */
export type PollFromParam = PollJson & { expires_in: unknown };

/**
 * The poll a valid `poll` parameter of `POST` or `PUT /api/v1/statuses` stores, rendered as
 * REST::PollSerializer renders it without a reader (app/serializers/rest/poll_serializer.rb:6-10):
 * `id`, `expires_at` and `expired` (set from `expires_in` when the status is saved: Expireable,
 * poll-expiry.ts), `multiple`, `votes_count`, `voters_count`, `options`, `emojis`. Its options are
 * stripped, blank ones dropped (Poll#prepare_options); `multiple` and `hide_totals` are what
 * `poll[…] || false` stores (app/services/update_status_service.rb:97-98; PostStatusService
 * stores the same), cast as a boolean column casts them. A poll that hides its totals shows each
 * option's `votes_count` as null until it has expired (Poll#loaded_options and
 * #show_totals_now?, app/models/poll.rb:51-53, :121-123), while the poll's own `votes_count` stays.
 *
 * `previous` is the status's poll before a `PUT`: its id and votes are kept unless the options
 * given (as given, before stripping) differ from its titles or the cast `multiple` differs from
 * its `multiple` (a left-out `multiple` casts to nil, which differs from both), as
 * UpdateStatusService#update_poll! resets them (:90-100, Poll#reset_votes!). A new poll starts at
 * 0 votes and 0 voters (post_status_service.rb:237; :90 plus the reset for an edit).
 *
 * @example
 * pollOfParam({ options: ['yes', 'no'], expiresIn: '3600', hideTotals: 'true' }, null, () => '7')
 * // { id: '7', expires_at: null, expired: false, multiple: false, votes_count: 0, voters_count: 0,
 * //   options: [{ title: 'yes', votes_count: null }, …], emojis: [], expires_in: '3600' }
 */
export function pollOfParam(input: PollInput, previous: unknown, nextId: () => string): PollFromParam {
  const before = asPoll(previous);
  const given = Array.isArray(input.options) ? input.options : undefined;
  const multiple = railsBoolean(input.multiple);
  const titlesBefore = before?.options.map((option) => option.title);
  const keepsVotes = before !== undefined && given !== undefined && sameItems(given, titlesBefore ?? []) && multiple === before.multiple;
  const hidden = railsBoolean(input.hideTotals) === true;
  const titles = preparedOptions(given);
  return {
    id: before !== undefined && before.id !== '' ? before.id : nextId(),
    // Placeholders in PollSerializer's order, which the `expires_in` below sets when the status is saved.
    expires_at: null,
    expired: false,
    multiple: multiple ?? false,
    votes_count: keepsVotes ? before.votes_count : 0,
    voters_count: keepsVotes ? before.voters_count : 0,
    options: titles.map((title, index) => ({ title, votes_count: hidden ? null : keepsVotes ? (before.options[index]?.votes_count ?? 0) : 0 })),
    emojis: [],
    expires_in: input.expiresIn,
  };
}

function sameItems(given: readonly unknown[], titles: readonly unknown[]): boolean {
  return given.length === titles.length && given.every((item, index) => item === titles[index]);
}

// The status's stored poll, read as PollJson where it has that shape (a scripted poll is loose).
function asPoll(poll: unknown): PollJson | undefined {
  if (poll === null || typeof poll !== 'object' || !Array.isArray((poll as { options?: unknown }).options)) return undefined;
  const loose = poll as Partial<PollJson>;
  return {
    id: typeof loose.id === 'string' ? loose.id : '',
    expires_at: loose.expires_at ?? null,
    expired: loose.expired === true,
    multiple: loose.multiple === true,
    votes_count: typeof loose.votes_count === 'number' ? loose.votes_count : 0,
    voters_count: typeof loose.voters_count === 'number' ? loose.voters_count : 0,
    // A scripted option may be anything (a bare title, null): only a PollJson option's tally is kept.
    options: titlesOf(loose.options).map((title, index) => {
      const votes = (loose.options?.[index] as { votes_count?: unknown } | null | undefined)?.votes_count;
      return { title: title as string, votes_count: typeof votes === 'number' ? votes : 0 };
    }),
    emojis: [],
  };
}
