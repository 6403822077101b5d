/** ActiveModel::Type::Boolean's FALSE_VALUES, as a JSON or form value can hold them. */
const RAILS_FALSE_VALUES = new Set<unknown>([false, 0, '0', 'f', 'F', 'false', 'FALSE', 'off', 'OFF']);

/**
 * The `sensitive` a status posted through `POST /api/v1/statuses` is stored with when the
 * `sensitive` parameter alone decides it, or `undefined` when its content warning has a say.
 *
 * Mastodon 4.5's PostStatusService reads `@options[:sensitive] || @options[:spoiler_text].present?`
 * (app/services/post_status_service.rb:68, the controller passes `status_params[:sensitive]` as
 * given, app/controllers/api/v1/statuses_controller.rb:88): only `nil` (absent, or JSON `null`,
 * which then reads the user's default, false for the fake's accounts) and JSON `false` let the
 * warning mark it. Any other value is truthy in Ruby, so the warning is never read, and the
 * column's boolean cast stores it (:216): a form's `sensitive=false` (or `0`, `off`, …) gives an
 * unmarked status even with a warning, `sensitive=true` a marked one.
 *
 * A blank string is left to the warning, where 4.5 fails: `''` is truthy in Ruby, so it is the
 * value, the boolean cast makes it nil, and the `not null` column (app/models/status.rb:15)
 * refuses it, a 500. Arrays and hashes are not permitted by `status_params` and count as absent.
 *
 * @example
 * sensitiveAsGiven('false') // false: a form's value, the warning is not read
 * sensitiveAsGiven(false) // undefined: JSON false, the warning decides
 */
export function sensitiveAsGiven(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === false || value === '') return undefined;
  return railsBoolean(value) ?? undefined;
}

/**
 * ActiveModel::Type::Boolean's cast of a parameter, as a boolean column stores it: null for
 * nil, a blank string or what no scalar is (Rails' permit drops arrays and hashes), false for
 * its FALSE_VALUES, true for anything else.
 *
 * @example
 * railsBoolean('off') // false
 * railsBoolean('yes') // true
 */
export function railsBoolean(value: unknown): boolean | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return null;
  return !RAILS_FALSE_VALUES.has(value);
}
