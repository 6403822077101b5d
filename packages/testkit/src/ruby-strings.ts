/** ActiveSupport's `blank?` for a string is BLANK_RE, `/\A[[:space:]]*\z/`: Onigmo's [[:space:]] is Unicode White_Space. */
const RUBY_BLANK = /^\p{White_Space}*$/u;

/**
 * Rails' `present?` for what a status field may hold: a string with something other than white space.
 *
 * @example
 * isRubyPresent(' \u00a0') // false
 */
export function isRubyPresent(value: unknown): boolean {
  return typeof value === 'string' && !RUBY_BLANK.test(value);
}

/**
 * A local status's text or warning as Status#prepare_contents stores it (`strip!`, a
 * before_validation for local statuses, app/models/status.rb:149, :429-432): Ruby's `strip`
 * removes only NUL and ASCII white space (tab, line feed, vertical tab, form feed, carriage
 * return, space), so a no-break space stays.
 *
 * @example
 * rubyStrip(' cw \u00a0\n') // 'cw \u00a0'
 */
export function rubyStrip(text: string): string {
  return text.replace(/^[\0\t\n\v\f\r ]+|[\0\t\n\v\f\r ]+$/g, '');
}
