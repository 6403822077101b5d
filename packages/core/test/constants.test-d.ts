import { describe, expectTypeOf, it } from 'vitest';
import {
  compareIds,
  createClient,
  DEFAULT_CATCH_UP_POLICY,
  DEFAULT_RECONNECT_POLICY,
  DEFAULT_STREAM_OPTIONS,
  KNOWN_EVENT_NAMES,
  STREAM_NAMES,
  systemClock,
  type CatchUpPolicy,
  type Clock,
  type ClientOptions,
  type MastodonEventName,
  type ReconnectPolicy,
  type StreamName,
  type ValidationMode,
} from '../src/index.js';

const client = createClient({ url: 'https://mastodon.example' });

describe('the defaults', () => {
  it('DEFAULT_STREAM_OPTIONS: read-only, the one-value options literal, validate open to every mode', () => {
    expectTypeOf(DEFAULT_STREAM_OPTIONS.validate).toEqualTypeOf<ValidationMode>();
    expectTypeOf(DEFAULT_STREAM_OPTIONS.malformedEvents).toEqualTypeOf<'report'>();
    expectTypeOf(DEFAULT_STREAM_OPTIONS.invalidUtf8).toEqualTypeOf<'replace'>();
    expectTypeOf(DEFAULT_STREAM_OPTIONS.maxEventBytes).toEqualTypeOf<1_048_576>();
    expectTypeOf(DEFAULT_STREAM_OPTIONS.stallTimeoutMs).toEqualTypeOf<45_000>();
    expectTypeOf(DEFAULT_STREAM_OPTIONS.connectTimeoutMs).toEqualTypeOf<30_000>();
    expectTypeOf(DEFAULT_STREAM_OPTIONS.dedupeCapacity).toEqualTypeOf<4_096>();
    // @ts-expect-error the defaults are frozen
    DEFAULT_STREAM_OPTIONS.stallTimeoutMs = 0;
    // A stream's options can start from them.
    const { dedupeCapacity, ...options } = DEFAULT_STREAM_OPTIONS;
    client.user({ ...options, dedupe: { capacity: dedupeCapacity }, validate: 'full' });
  });

  it('DEFAULT_RECONNECT_POLICY and DEFAULT_CATCH_UP_POLICY: read-only whole policies, spread into a stream\'s options', () => {
    expectTypeOf(DEFAULT_RECONNECT_POLICY).toEqualTypeOf<Readonly<ReconnectPolicy>>();
    expectTypeOf(DEFAULT_CATCH_UP_POLICY).toEqualTypeOf<Readonly<CatchUpPolicy>>();
    // @ts-expect-error the defaults are frozen
    DEFAULT_RECONNECT_POLICY.maxAttempts = 3;
    // @ts-expect-error the defaults are frozen
    DEFAULT_CATCH_UP_POLICY.maxPages = 50;
    client.user({ reconnect: { ...DEFAULT_RECONNECT_POLICY, maxAttempts: 10 }, catchUp: { ...DEFAULT_CATCH_UP_POLICY, maxPages: 50 } });
  });
});

describe('the name lists', () => {
  it('STREAM_NAMES: a read-only tuple of the StreamNames', () => {
    expectTypeOf<(typeof STREAM_NAMES)[number]>().toEqualTypeOf<StreamName>();
    expectTypeOf(STREAM_NAMES[0]).toEqualTypeOf<'user'>();
    // @ts-expect-error the list is read-only
    STREAM_NAMES.push('user');
    for (const name of STREAM_NAMES) expectTypeOf(name).toEqualTypeOf<StreamName>();
  });

  it('KNOWN_EVENT_NAMES: read-only MastodonEventNames, without unknown', () => {
    expectTypeOf(KNOWN_EVENT_NAMES).toEqualTypeOf<readonly MastodonEventName[]>();
    expectTypeOf<'unknown'>().not.toMatchTypeOf<MastodonEventName>();
    expectTypeOf<'update' | 'delete' | 'notification'>().toMatchTypeOf<MastodonEventName>();
    // @ts-expect-error the list is read-only
    KNOWN_EVENT_NAMES.push('update');
  });
});

describe('the helpers', () => {
  it('compareIds: a comparator of id strings, for Array.prototype.sort', () => {
    expectTypeOf(compareIds).toEqualTypeOf<(left: string, right: string) => number>();
    expectTypeOf(['2', '10'].sort(compareIds)).toEqualTypeOf<string[]>();
    // @ts-expect-error ids are strings, as Mastodon sends them
    compareIds(1, 2);
  });

  it('systemClock: a Clock, which is what ClientOptions.clock takes', () => {
    expectTypeOf(systemClock).toEqualTypeOf<Clock>();
    expectTypeOf(systemClock.now).returns.toEqualTypeOf<number>();
    expectTypeOf(systemClock.setTimeout).parameters.toEqualTypeOf<[callback: () => void, delayMs: number]>();
    expectTypeOf(systemClock).toMatchTypeOf<NonNullable<ClientOptions['clock']>>();
  });
});
