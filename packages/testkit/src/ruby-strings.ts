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

/**
 * Ruby's `String#to_i` as a decimal string (ids outgrow a double): leading ASCII white space and a
 * sign, digits (a single `_` between two allowed), anything after ignored; no digits at all is 0.
 *
 * @example
 * rubyToI(' 012x') // '12'
 * rubyToI('3_600') // '3600'
 */
export function rubyToI(text: string): string {
  const match = /^[\t\n\v\f\r ]*([+-]?)(\d+(?:_\d+)*)/.exec(text);
  if (!match) return '0';
  const digits = (match[2] ?? '0').replace(/_/g, '').replace(/^0+(?=\d)/, '');
  return match[1] === '-' && digits !== '0' ? `-${digits}` : digits;
}

/**
 * A duration parameter (`poll[expires_in]`) as Rails reads it, `interval.present? ? interval.to_i : nil`
 * (app/models/concerns/expireable.rb:19-22): a number truncated, a present string's `to_i` (0 without
 * digits), else undefined (absent, null, blank, or a value no parameter can be).
 *
 * @example
 * rubyIntegerIfPresent('3_600') // 3600
 * rubyIntegerIfPresent('soon') // 0
 * rubyIntegerIfPresent(' ') // undefined
 */
export function rubyIntegerIfPresent(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  return isRubyPresent(value) ? Number(rubyToI(value as string)) : undefined;
}

/**
 * A JSON number as Ruby's `to_s` writes it, which is how a text column casts one. An integral
 * number is an Integer, written in full; any other is a Float: shortest digits, fixed between
 * 1e-4 and 1e16, else `1.5e-07`. JSON.parse cannot tell `2.0` (a Ruby Float, `2.0`) from `2`, nor
 * keep integers beyond 2^53, so those are written as the integer JavaScript holds.
 *
 * @example
 * rubyNumberText(42) // '42'
 * rubyNumberText(1.5e-7) // '1.5e-07'
 */
export function rubyNumberText(value: number): string {
  if (Number.isInteger(value)) return BigInt(value).toString();
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  const power = Number(exponent);
  if (power >= -4 && power < 16) return String(value);
  const digits = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${digits}e${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`;
}
