import type { NotificationJson } from './entity-json.js';
import { isRailsTruthy, railsQueryValue } from './rails-params.js';

/**
 * Notification.browserable's filters for GET /api/v1/notifications: only the `types[]` asked for
 * (none of them known: nothing), minus `exclude_types[]`, from `account_id`. A bare `types=x` is
 * not an array, so Rails' `permit` drops it. A filtered notification (in the fake, only one made
 * with `fields.filtered: true`, as the fake has no notification policy) is left out unless the
 * request has a truthy `include_filtered` or asks for one sender's (`account_id`), as 4.5 does.
 */
export function browserable(query: URLSearchParams): (notification: NotificationJson) => boolean {
  const [types, excluded, from] = [query.getAll('types[]'), query.getAll('exclude_types[]'), railsQueryValue(query, 'account_id')];
  const withFiltered = isRailsTruthy(railsQueryValue(query, 'include_filtered')) || Boolean(from);
  return (notification) =>
    (withFiltered || notification['filtered'] !== true) &&
    (types.length === 0 || types.includes(notification.type)) &&
    !excluded.includes(notification.type) &&
    (!from || notification.account.id === from);
}
