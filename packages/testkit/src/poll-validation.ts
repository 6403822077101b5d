import { isRubyPresent, rubyIntegerIfPresent, rubyStrip } from './ruby-strings.js';

/** PollOptionsValidator::MAX_OPTIONS and MAX_OPTION_CHARS (app/validators/poll_options_validator.rb:4-5). */
const MAX_OPTIONS = 4;
const MAX_OPTION_CHARS = 50;
/** PollExpirationValidator's bounds (app/validators/poll_expiration_validator.rb:4-5): 5 minutes, and ActiveSupport's 1.month (30.436875 days). */
const MIN_EXPIRATION_SECONDS = 5 * 60;
const MAX_EXPIRATION_SECONDS = 2_629_746;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** A poll's options and duration, as the API's `poll[options][]` and `poll[expires_in]` give them. */
export interface PollInput {
  /** The option titles; not an array when the parameter was not one (Rails' permit then drops it). */
  readonly options: unknown;
  /** Seconds; absent, null or blank gives the poll no deadline. */
  readonly expiresIn: unknown;
  /** `poll[multiple]` as given (undefined when left out or not a scalar). */
  readonly multiple?: unknown;
  /** `poll[hide_totals]` as given (undefined when left out or not a scalar). */
  readonly hideTotals?: unknown;
}

/**
 * The messages Mastodon 4.5 refuses a local poll with, in its order, as ActiveRecord words them
 * for the status's nested poll (`Choices` and `Deadline` are activerecord.attributes.poll in
 * config/locales/activerecord.en.yml:5-7; the texts are polls.errors of config/locales/en.yml:1752-1763).
 * Poll#prepare_options first strips each option and drops blank ones (app/models/poll.rb:45, :103-105);
 * then `options` and (local) `expires_at` must be present (:40-41), PollOptionsValidator wants 2 to 4
 * options of at most 50 grapheme clusters, none twice, and PollExpirationValidator (:43, only when
 * `expires_at` changes) a deadline from 5 minutes to a month away. `expires_in` becomes `expires_at`
 * as Expireable#expires_in= sets it (`interval.present? ? interval.to_i.seconds.from_now : nil`,
 * app/models/concerns/expireable.rb:19-22). An empty list means the poll is valid.
 *
 * @example
 * pollErrors({ options: ['yes'], expiresIn: 60 }) // ['Choices must have more than one item', 'Deadline is too soon']
 */
export function pollErrors(poll: PollInput): string[] {
  const options = preparedOptions(poll.options);
  const seconds = rubyIntegerIfPresent(poll.expiresIn);
  const blank = [...(options.length === 0 ? ["Choices can't be blank"] : []), ...(seconds === undefined ? ["Deadline can't be blank"] : [])];
  return [...blank, ...optionErrors(options), ...expiryErrors(seconds)];
}

/**
 * For `postStatus` and `editStatus` of a local status: throws when Mastodon 4.5 would refuse the
 * poll, as the testkit's other checks throw on a programming mistake. A scripted poll is a
 * PollJson (options as `{ title }`), checked for its options when it gives an array of them, and
 * for `expires_in` when it gives one; an `expires_at` it gives is a state the test scripts (a
 * poll that has since ended, say) and is not held to the API's bounds.
 *
 * @example
 * checkScriptedPoll('FakeMastodon.postStatus', { options: [{ title: 'yes', votes_count: 0 }] })
 * // TypeError: FakeMastodon.postStatus: Mastodon 4.5 refuses this poll (Validation failed: Choices must have more than one item)
 */
export function checkScriptedPoll(method: string, poll: unknown): void {
  if (poll === null || typeof poll !== 'object') return;
  const { options } = poll as { options?: unknown };
  const errors: string[] = [];
  if (Array.isArray(options)) {
    const prepared = preparedOptions(titlesOf(options));
    errors.push(...(prepared.length === 0 ? ["Choices can't be blank"] : []), ...optionErrors(prepared));
  }
  if ('expires_in' in poll) {
    const seconds = rubyIntegerIfPresent((poll as { expires_in?: unknown }).expires_in);
    errors.push(...(seconds === undefined ? ["Deadline can't be blank"] : expiryErrors(seconds)));
  }
  if (errors.length > 0) throw new TypeError(`${method}: Mastodon 4.5 refuses this poll (Validation failed: ${errors.join(', ')})`);
}

const isScalar = (value: unknown): boolean => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/**
 * The `poll` of `POST /api/v1/statuses` as Api::V1::StatusesController#status_params permits it
 * (`poll: [:multiple, :hide_totals, :expires_in, options: []]`,
 * app/controllers/api/v1/statuses_controller.rb:199-204): undefined when it is not a hash or keeps
 * none of those keys, which PostStatusService takes as no poll (`@options[:poll].blank?`,
 * app/services/post_status_service.rb:235). Options that are not an array of scalars are dropped.
 *
 * @example
 * pollInputOf({ options: ['yes', 'no'], expires_in: '3600' }) // { options: ['yes', 'no'], expiresIn: '3600' }
 */
export function pollInputOf(param: unknown): PollInput | undefined {
  if (param === null || typeof param !== 'object' || Array.isArray(param)) return undefined;
  const poll = param as Record<string, unknown>;
  const permitted = (key: string): boolean => key in poll && isScalar(poll[key]);
  const options = Array.isArray(poll['options']) ? poll['options'].filter(isScalar) : undefined;
  if (options === undefined && !['multiple', 'hide_totals', 'expires_in'].some(permitted)) return undefined;
  return {
    options,
    expiresIn: permitted('expires_in') ? poll['expires_in'] : undefined,
    multiple: permitted('multiple') ? poll['multiple'] : undefined,
    hideTotals: permitted('hide_totals') ? poll['hide_totals'] : undefined,
  };
}

/**
 * Poll#prepare_options (app/models/poll.rb:103-105, before validation of a local poll): each
 * option stripped (Ruby's strip), blank ones dropped (compact_blank); what is not an array is none.
 * An option is first what the `string[]` column's cast makes of it (ActiveModel's String type:
 * `true` is `t`, `false` `f`; a JSON `1.0` reaches JavaScript as `1`, so it is `1`, not Ruby's
 * `1.0`). A null one makes `strip` raise in 4.5 (a 500 over REST); here it throws a TypeError,
 * which the REST router answers with its 500 too.
 *
 * @example
 * preparedOptions([' yes ', '', 'no']) // ['yes', 'no']
 * preparedOptions([true, false]) // ['t', 'f']
 */
export function preparedOptions(options: unknown): string[] {
  return (Array.isArray(options) ? options : []).map((option) => rubyStrip(railsStringOf(option))).filter(isRubyPresent);
}

/**
 * The titles of a scripted poll's options (PollJson's `{ title, votes_count }`, or bare titles).
 *
 * @example
 * titlesOf([{ title: 'yes', votes_count: 0 }, 'no']) // ['yes', 'no']
 */
export function titlesOf(options: unknown): unknown[] {
  return (Array.isArray(options) ? options : []).map((option: unknown) => (option !== null && typeof option === 'object' ? (option as { title?: unknown }).title : option));
}

function railsStringOf(option: unknown): string {
  if (option === null || option === undefined) throw new TypeError(`a poll option is ${String(option)}: Mastodon 4.5 calls strip on it, which raises (a 500)`);
  return option === true ? 't' : option === false ? 'f' : String(option);
}

// PollOptionsValidator#validate, in its order.
function optionErrors(options: readonly string[]): string[] {
  const errors: string[] = [];
  if (options.length <= 1) errors.push('Choices must have more than one item');
  if (options.length > MAX_OPTIONS) errors.push(`Choices can't contain more than ${MAX_OPTIONS} items`);
  if (options.some((option) => [...graphemes.segment(option)].length > MAX_OPTION_CHARS)) errors.push(`Choices cannot be longer than ${MAX_OPTION_CHARS} characters each`);
  if (new Set(options).size !== options.length) errors.push('Choices contain duplicate items');
  return errors;
}

// PollExpirationValidator#validate: it runs a moment after `from_now`, and `.ceil` of the time left gives back the whole seconds asked for.
function expiryErrors(seconds: number | undefined): string[] {
  if (seconds === undefined) return [];
  if (seconds > MAX_EXPIRATION_SECONDS) return ['Deadline is too far into the future'];
  return seconds < MIN_EXPIRATION_SECONDS ? ['Deadline is too soon'] : [];
}
