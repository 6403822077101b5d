import { titlesOf } from './poll-validation.js';

// A scripted poll is a PollJson, where `multiple` left out means false (the column's default).
function isMultiple(poll: Record<string, unknown>): boolean {
  return poll['multiple'] === true;
}


/**
 * The poll an edit of a local status stores, with its votes reset when Mastodon 4.5 resets them.
 * UpdateStatusService#update_poll! (app/services/update_status_service.rb:87-99) resets a poll's
 * votes (Poll#reset_votes!, app/models/poll.rb:86-91: every tally, `votes_count` and
 * `voters_count` to 0, the votes deleted) when the options given differ from the stored ones, as
 * given (so a padded title counts as changed, though it is stored stripped), or when
 * `multiple` differs from the stored one. A first poll has none to reset. (Over the API a
 * `poll[multiple]` left out casts to nil, which differs from both, so such an edit always resets
 * the votes, as `PUT /api/v1/statuses/:id` does in rest-poll-param.ts; a scripted poll without `multiple`
 * means `multiple: false`, so repeating a poll as it is stays no change.) Only the fields the given poll has are reset (a scripted poll is loose):
 * each option's numeric `votes_count`, `votes_count`, a numeric `voters_count`, and, as nobody but
 * the author has voted any more, `voted` becomes false and `own_votes` empty (the author still
 * sees `voted: true` in 4.5; the fake stores one poll for every reader).
 *
 * @example
 * pollAfterEdit(stored.poll, { ...stored.poll, options: [{ title: 'other', votes_count: 3 }, …] })
 * // options' votes_count 0, votes_count 0, voters_count 0
 */
export function pollAfterEdit<Poll>(storedPoll: unknown, givenPoll: Poll): Poll {
  if (givenPoll === null || typeof givenPoll !== 'object' || storedPoll === null || typeof storedPoll !== 'object') return givenPoll;
  const stored = storedPoll as Record<string, unknown>;
  const given = givenPoll as Record<string, unknown>;
  const sameOptions = JSON.stringify(titlesOf(given['options'])) === JSON.stringify(titlesOf(stored['options']));
  if (sameOptions && isMultiple(given) === isMultiple(stored)) return givenPoll;
  const reset: Record<string, unknown> = { ...given };
  if (Array.isArray(given['options'])) {
    reset['options'] = (given['options'] as unknown[]).map((option) =>
      option !== null && typeof option === 'object' && typeof (option as { votes_count?: unknown }).votes_count === 'number' ? { ...option, votes_count: 0 } : option,
    );
  }
  if ('votes_count' in given) reset['votes_count'] = 0;
  if (typeof given['voters_count'] === 'number') reset['voters_count'] = 0;
  if ('voted' in given) reset['voted'] = false;
  if ('own_votes' in given) reset['own_votes'] = [];
  return reset as Poll;
}
