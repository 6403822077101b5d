import { MastodonArgumentError } from './errors.js';
import { DEFAULT_STREAM_OPTIONS, type StreamOptions } from './options.js';

/**
 * What each option takes, by its name with its group's (`reconnect.factor`): a number, the least value of a numeric
 * option; text, the values of a text option, anything else (`validate: false`, the listener's `'abort'`) would
 * silently mean the default; `true`, an option no rule here checks. A name not in the table is no option: a misspelt
 * or misplaced option would otherwise be dropped without a word, and a dropped `signal` leaves a loop that no abort
 * ends. (One table, so one lookup per option.)
 */
const RULES: Record<string, number | string | true> = {
  maxEventBytes: 1,
  stallTimeoutMs: 0,
  stallTimeoutBeforeHeartbeatMs: 0,
  connectTimeoutMs: 0,
  'dedupe.capacity': 1,
  'catchUp.pageSize': 1,
  'catchUp.maxPages': 0,
  'reconnect.initialDelayMs': 0,
  'reconnect.factor': 1,
  'reconnect.maxDelayMs': 0,
  'reconnect.minDelayMs': 0,
  'reconnect.maxAttempts': 0,
  'reconnect.maxElapsedMs': 0,
  'reconnect.resetAfterMs': 0,
  validate: 'essentials, full, off',
  malformedEvents: 'report, throw',
  invalidUtf8: 'replace, report',
  'reconnect.jitter': 'full, none',
  // Options no rule checks.
  signal: true,
  cursor: true,
  reconnect: true,
  catchUp: true,
  dedupe: true,
  onError: true,
  onStateChange: true,
  onConnecting: true,
  onOpen: true,
  onHeartbeat: true,
  onReconnecting: true,
  onStalled: true,
  onCatchUpProgress: true,
  onGap: true,
  onClose: true,
};

/**
 * A stream's options with the single-valued defaults filled in ({@link DEFAULT_STREAM_OPTIONS}, whose extra
 * `dedupeCapacity` rides along unread by any check): the session reads each option once, without a fallback.
 */
export type SettledStreamOptions = StreamOptions & { [Name in Exclude<keyof typeof DEFAULT_STREAM_OPTIONS, 'dedupeCapacity'>]-?: NonNullable<StreamOptions[Name]> } & { dedupeCapacity: number };

/**
 * Merges a client's stream defaults with a stream's own options and checks the
 * numbers and the text options, so a NaN, a negative or a wrong type is a MastodonArgumentError up
 * front instead of a hot reconnect loop, an unbounded buffer or a catch-up that
 * fails later. Infinity passes where "no limit" makes sense (timers wait at most
 * ~24.8 days, the longest a runtime's timer can). A property set to `undefined`
 * counts as left out, as the option types promise: it neither replaces a default
 * nor fails a check, in the options and in `reconnect`, `catchUp` and `dedupe`.
 */
export const settleStreamOptions = (defaults: StreamOptions | undefined, own: StreamOptions | undefined): SettledStreamOptions => {
  const given: Record<string, unknown> = { ...definedOnly(defaults), ...definedOnly(own) };
  const settled: Record<string, unknown> = { ...DEFAULT_STREAM_OPTIONS, ...given };
  // Duck-typed, so a signal from another realm (a test environment's, a polyfill's) passes; both methods are used.
  const signal = settled.signal as AbortSignal | undefined;
  if (signal && (typeof signal.addEventListener !== 'function' || typeof signal.removeEventListener !== 'function')) throw new MastodonArgumentError('signal must be an AbortSignal');
  for (const groupName of ['', 'reconnect', 'catchUp', 'dedupe']) {
    const group = settled[groupName];
    // `dedupe: 100` or `reconnect: 5` (a capacity or a limit meant) would otherwise run silently on the defaults, and
    // `null` (meant as off) with them switched on; `true` is taken as on, with the defaults.
    if (groupName && group !== undefined && typeof group != 'boolean' && (typeof group != 'object' || group === null)) throw new MastodonArgumentError(`${groupName} must be false or an object (got ${shown(group)})`);
    // The caller's own options only: the defaults are valid, and `dedupeCapacity` among them is no option (that is
    // `dedupe.capacity`), so a caller's field of that name is refused rather than replacing the default.
    const checked = groupName ? (settled[groupName] = definedOnly(group)) : given;
    if (!checked) continue;
    for (const [name, value] of Object.entries(checked)) {
      // Named with its group (`dedupe.capacity`), as the rules are.
      const label = `${groupName ? `${groupName}.` : ''}${name}`;
      const rule: unknown = RULES[label];
      const refused = (wanted: string) => new MastodonArgumentError(`${label} must be ${wanted} (got ${shown(value)})`);
      // (Own keys only: `toString` finds the prototype's function.)
      if (!Object.hasOwn(RULES, label)) throw new MastodonArgumentError(`${label} is no stream option`);
      if (typeof rule == 'string' && !rule.split(', ').includes(value as string)) throw refused(`one of ${rule}`);
      if (typeof rule != 'number' || (typeof value === 'number' && value >= rule && (name !== 'pageSize' || Number.isInteger(value)))) continue;
      throw refused(`a ${name === 'pageSize' ? 'whole ' : ''}number >= ${rule}`);
    }
  }
  return settled as unknown as SettledStreamOptions;
};

/**
 * A value as an argument error shows it: text quoted, so "30" given for 30 does not read as valid; an object or a
 * function by its type (String() of an object without a prototype throws, and of a function is its source).
 */
export const shown = (value: unknown): string =>
  typeof value == 'string' ? `"${value}"` : value !== null && (typeof value == 'object' || typeof value == 'function') ? typeof value : String(value);

/** A copy of an object without its undefined fields (in the order they were in), or the falsy value itself. */
export const definedOnly = <T>(group: T): T =>
  group && (Object.fromEntries(Object.entries(group).filter((entry) => entry[1] !== undefined)) as T);
