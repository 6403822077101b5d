import { rubyToI } from './ruby-strings.js';

/** Status::MEDIA_ATTACHMENTS_LIMIT (app/models/status.rb). */
export const MEDIA_LIMIT = 4;

/**
 * `media_ids` as the statuses controller reads it: `status_params` permits `media_ids: []`, an
 * array of scalars, so anything else (a lone string, a hash) is none; each id is then cast as
 * `map(&:to_i)` casts it (Ruby's `String#to_i`, as a decimal string; a null is 0).
 *
 * @example
 * mediaIdsParam(['11', ' 012x']) // ['11', '12']
 * mediaIdsParam('11') // []
 * mediaIdsParam([null]) // ['0']
 */
export function mediaIdsParam(param: unknown): string[] {
  if (!Array.isArray(param)) return [];
  // A JSON null is a permitted scalar, and `nil.to_i` is 0.
  return param.filter((id) => id === null || ['string', 'number'].includes(typeof id)).map((id) => (id === null ? '0' : rubyToI(String(id))));
}

/**
 * PostStatusService#validate_media! (app/services/post_status_service.rb:150-165) for a server
 * with no media uploads: no ids (or an empty list) is no media; more than 4, or any given with a
 * poll, is `Cannot attach more than 4 files` (4.5's message for both, :156); otherwise every id
 * is one the account has no unattached upload of, so all of them are named, duplicates and order
 * kept (`map(&:to_i) - @media.map(&:id)`, :160-161). The 422 message, or undefined for no media.
 *
 * @example
 * postedMediaRefusal(['11', '12'], false) // 'Media 11, 12 not found or already attached to another post'
 * postedMediaRefusal(['11'], true) // 'Cannot attach more than 4 files'
 */
export function postedMediaRefusal(param: unknown, withPoll: boolean): string | undefined {
  const given = mediaIdsParam(param);
  if (given.length === 0) return undefined;
  if (given.length > MEDIA_LIMIT || withPoll) return 'Cannot attach more than 4 files';
  return `Media ${given.join(', ')} not found or already attached to another post`;
}
