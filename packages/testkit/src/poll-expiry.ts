import { rubyIntegerIfPresent } from './ruby-strings.js';

/**
 * A poll given with `expires_in`, the seconds the API takes (`poll[expires_in]`), as Mastodon 4.5
 * stores it: Expireable#expires_in= sets `expires_at` to that many whole seconds from now
 * (`interval.to_i.seconds.from_now`, app/models/concerns/expireable.rb:19-22), and PollSerializer
 * renders `expires_at` and `expired`, never `expires_in` (app/serializers/rest/poll_serializer.rb:5-6).
 * PostStatusService sets it when the status is posted (post_status_service.rb:234-238, through the status's poll_attributes), and
 * UpdateStatusService at every edit that gives a poll (update_status_service.rb:99), which moves
 * `expires_at` and so makes the edit a change (:110). Anything else is kept as given: a poll
 * without `expires_in` (the fake's JSON shape, with its own `expires_at`), or one whose
 * `expires_in` is blank or no parameter's value (Rails reads those as no duration).
 *
 * @example
 * pollFromExpiresIn({ options: [{ title: 'a', votes_count: 0 }], expires_in: 3600 }, Date.parse('2026-12-01T00:00:00Z'))
 * // { options: […], expires_at: '2026-12-01T01:00:00.000Z', expired: false }
 */
export function pollFromExpiresIn<Poll>(poll: Poll, nowMs: number): Poll {
  if (poll === null || typeof poll !== 'object' || !('expires_in' in poll)) return poll;
  const seconds = rubyIntegerIfPresent((poll as { expires_in: unknown }).expires_in);
  if (seconds === undefined) return poll;
  const { expires_in: _given, ...rest } = poll as Record<string, unknown>;
  const expiresMs = nowMs + seconds * 1000;
  return { ...rest, expires_at: new Date(expiresMs).toISOString(), expired: expiresMs < nowMs } as Poll;
}
