/** ActiveSupport's `blank?` for a string is BLANK_RE, `/\A[[:space:]]*\z/`: Onigmo's [[:space:]] is Unicode White_Space. */
const RUBY_BLANK = /^\p{White_Space}*$/u;

/**
 * Rails' `present?` for what a status field may hold: a string with something other than white space.
 *
 * @example
 * isRubyPresent(' \u00a0') // false
 */
export function isRubyPresent(value: unknown): value is string {
  return typeof value === 'string' && !RUBY_BLANK.test(value);
}
