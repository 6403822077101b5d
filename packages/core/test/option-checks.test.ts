// Options, cursors and server answers that used to turn into hot reconnect
// loops, unbounded buffers or retries forever (found by an audit's probes):
// each is now a MastodonArgumentError up front, a fatal answer, or a bounded wait.
import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import type { StreamCursor } from '../src/cursor.js';
import { MastodonApiError, MastodonArgumentError } from '../src/errors.js';
import { settleStreamOptions } from '../src/option-checks.js';
import { DEFAULT_CATCH_UP_POLICY, DEFAULT_RECONNECT_POLICY, DEFAULT_STREAM_OPTIONS, type StreamOptions } from '../src/options.js';
import { MAX_RETRY_AFTER_MS } from '../src/reconnect-policy.js';
import type { StreamName, StreamParams } from '../src/stream-names.js';
import { take, until } from './support/collect.js';
import { VirtualClock, VIRTUAL_CLOCK_DEFAULTS } from './support/virtual-clock.js';

const TOKEN = 'peer-test-token';
const URL_OF_NOTHING = 'http://127.0.0.1:9';
let server: FakeMastodon | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the settled options', () => {
  it('refuse a field named dedupeCapacity, the name of the default itself (no option: NaN would stop the cache rotating, and the dedupe.capacity meant was ignored)', () => {
    for (const value of [Number.NaN, 1, -5]) {
      const own = { dedupeCapacity: value } as unknown as StreamOptions;
      expect(() => settleStreamOptions(undefined, own)).toThrow(new MastodonArgumentError('dedupeCapacity is no stream option'));
      expect(() => settleStreamOptions(own, {})).toThrow(new MastodonArgumentError('dedupeCapacity is no stream option'));
    }
    expect(settleStreamOptions(undefined, {}).dedupeCapacity).toBe(DEFAULT_STREAM_OPTIONS.dedupeCapacity);
    expect(settleStreamOptions(undefined, { dedupe: { capacity: 10 } }).dedupe).toEqual({ capacity: 10 });
  });
});

describe('stream options are checked when the stream is created', () => {
  const client = createClient({ url: URL_OF_NOTHING, streamingUrl: URL_OF_NOTHING });
  it.each<[string, StreamOptions]>([
    ['reconnect.initialDelayMs NaN', { reconnect: { initialDelayMs: Number.NaN } }],
    ['reconnect.initialDelayMs negative', { reconnect: { initialDelayMs: -1000 } }],
    ['reconnect.minDelayMs NaN', { reconnect: { minDelayMs: Number.NaN } }],
    ['reconnect.maxDelayMs negative', { reconnect: { maxDelayMs: -1 } }],
    ['reconnect.factor below 1', { reconnect: { factor: 0.5 } }],
    ['reconnect.maxAttempts a string', { reconnect: { maxAttempts: '3' as unknown as number } }],
    ['dedupe.capacity NaN', { dedupe: { capacity: Number.NaN } }],
    ['maxEventBytes NaN', { maxEventBytes: Number.NaN }],
    ['stallTimeoutMs negative', { stallTimeoutMs: -5 }],
    ['catchUp.pageSize 0', { catchUp: { pageSize: 0 } }],
    ['catchUp.pageSize 2.5', { catchUp: { pageSize: 2.5 } }],
    ['catchUp.maxPages NaN', { catchUp: { maxPages: Number.NaN } }],
  ])('%s is a MastodonArgumentError', (_label, options) => {
    expect(() => client.public({}, options)).toThrow(MastodonArgumentError);
  });

  it.each<[string, StreamOptions, string]>([
    ['validate: false (as reconnect: false reads)', { validate: false as never }, 'validate must be one of essentials, full, off (got false)'],
    ["malformedEvents: 'abort' (the listener's spelling)", { malformedEvents: 'abort' as never }, 'malformedEvents must be one of report, throw (got "abort")'],
    ["invalidUtf8: 'throw'", { invalidUtf8: 'throw' as never }, 'invalidUtf8 must be one of replace, report (got "throw")'],
    ['reconnect.jitter: false', { reconnect: { jitter: false as never } }, 'reconnect.jitter must be one of full, none (got false)'],
  ])('a text option outside its values, %s, is a MastodonArgumentError, not silently the default', (_label, options, message) => {
    expect(() => client.public({}, options)).toThrow(new MastodonArgumentError(message));
  });

  it.each<[string, StreamOptions, string]>([
    ['a number given as text', { connectTimeoutMs: '30000' as never }, 'connectTimeoutMs must be a number >= 0 (got "30000")'],
    ['an option of a group, named with it', { dedupe: { capacity: 0 } }, 'dedupe.capacity must be a number >= 1 (got 0)'],
    ['a page size that is not whole', { catchUp: { pageSize: 2.5 } }, 'catchUp.pageSize must be a whole number >= 1 (got 2.5)'],
    ['an object without a prototype', { reconnect: { maxAttempts: Object.create(null) as never } }, 'reconnect.maxAttempts must be a number >= 0 (got object)'],
    ['a function', { stallTimeoutMs: (() => 1) as never }, 'stallTimeoutMs must be a number >= 0 (got function)'],
  ])('an argument error names the option as written and shows the value so it cannot look valid: %s', (_label, options, message) => {
    expect(() => client.public({}, options)).toThrow(new MastodonArgumentError(message));
  });

  it.each<[string, StreamOptions, string]>([
    ['a dedupe capacity given as the group', { dedupe: 100 as never }, 'dedupe must be false or an object (got 100)'],
    ['a retry limit given as the group', { reconnect: 5 as never }, 'reconnect must be false or an object (got 5)'],
    ['null meant as off', { catchUp: null as never }, 'catchUp must be false or an object (got null)'],
    ['text', { dedupe: 'off' as never }, 'dedupe must be false or an object (got "off")'],
  ])('a group of options that is no object or false, %s, is refused: it ran silently on the defaults', (_label, options, message) => {
    expect(() => client.public({}, options)).toThrow(new MastodonArgumentError(message));
  });

  it('a group given as true is on with its defaults, as an empty object is', () => {
    expect(settleStreamOptions(undefined, { reconnect: true as never, catchUp: true as never, dedupe: true as never })).toMatchObject({ reconnect: {}, catchUp: {}, dedupe: {} });
    expect(settleStreamOptions(undefined, { dedupe: false, reconnect: false, catchUp: false })).toMatchObject({ dedupe: false, reconnect: false, catchUp: false });
  });

  it.each([
    // Named like an Object.prototype member: once refused as `toString must be a number >= function toString() { [native code] }`, then passed unchecked.
    ['a prototype member in a group', { reconnect: { toString: (): string => 'x' } }, 'reconnect.toString is no stream option'],
    ['a prototype member', { valueOf: 2 }, 'valueOf is no stream option'],
    ['a misspelt signal (the loop would not end on abort)', { sginal: new AbortController().signal }, 'sginal is no stream option'],
    ['a misspelt hook', { onReconnect: () => {} }, 'onReconnect is no stream option'],
    ['a reconnect field outside its group', { maxAttempts: 3 }, 'maxAttempts is no stream option'],
    ['a catch-up field in the wrong group', { reconnect: { pageSize: 40 } }, 'reconnect.pageSize is no stream option'],
    ["Mastodon.py's name", { reconnect_async: true }, 'reconnect_async is no stream option'],
    ['a client option', { accessToken: 'x' }, 'accessToken is no stream option'],
  ])('an option no stream has, %s, is refused: it was dropped without a word', (_label, options, message) => {
    expect(() => client.public({}, options as never)).toThrow(new MastodonArgumentError(message));
    expect(() => createClient({ url: 'https://example.social', streamDefaults: options as never }).user()).toThrow(new MastodonArgumentError(message));
  });

  it('every option a stream has is taken, each hook included', () => {
    const hook = () => {};
    const everyOption = {
      onStateChange: hook,
      onConnecting: hook,
      onOpen: hook,
      onHeartbeat: hook,
      onReconnecting: hook,
      onStalled: hook,
      onCatchUpProgress: hook,
      onGap: hook,
      onClose: hook,
      onError: hook,
      signal: new AbortController().signal,
      validate: 'full',
      malformedEvents: 'throw',
      invalidUtf8: 'report',
      maxEventBytes: 1000,
      stallTimeoutMs: 1,
      stallTimeoutBeforeHeartbeatMs: 1,
      connectTimeoutMs: 1,
      reconnect: { ...DEFAULT_RECONNECT_POLICY },
      catchUp: { ...DEFAULT_CATCH_UP_POLICY },
      dedupe: { capacity: 10 },
    } satisfies Required<Omit<StreamOptions, 'cursor'>>;
    expect(() => client.user(everyOption)).not.toThrow();
    expect(() => client.user({ cursor: client.user().cursor() })).not.toThrow();
  });

  it.each([
    ['public', () => client.public({ signal: new AbortController().signal } as never), 'signal is no parameter of stream public (options go after the parameters)'],
    ['public, in snake case', () => client.public({ only_media: true } as never), 'only_media is no parameter of stream public (options go after the parameters)'],
    ['hashtag', () => client.hashtag('rust', { signal: new AbortController().signal } as never), 'signal is no parameter of stream hashtag (options go after the parameters)'],
    ['stream', () => client.stream('hashtag', { tag: 'rust', signal: new AbortController().signal } as never), 'signal is no parameter of stream hashtag (options go after the parameters)'],
  ])("a stream option given in the parameters' place (%s) is refused: the signal was dropped, and no abort ended the loop", (_label, open, message) => {
    expect(open).toThrow(new MastodonArgumentError(message));
  });

  it.each([
    // The name says which public stream: `local` here streamed the whole federated timeline.
    ['public by name, with a convenience flag', () => client.stream('public', { local: true } as never), 'local is no parameter of stream public (options go after the parameters)'],
    ['hashtag by name, with a convenience flag', () => client.stream('hashtag', { tag: 'rust', local: true } as never), 'local is no parameter of stream hashtag (options go after the parameters)'],
    ['user, with a tag', () => client.stream('user', { tag: 'rust' } as never), 'tag is no parameter of stream user (options go after the parameters)'],
    ['hashtag, with a list', () => client.stream('hashtag', { tag: 'rust', list: '1' } as never), 'list is no parameter of stream hashtag (options go after the parameters)'],
    ['list, with a tag', () => client.stream('list', { list: '1', tag: 'rust' } as never), 'tag is no parameter of stream list (options go after the parameters)'],
    ['public, with a tag', () => client.public({ tag: 'rust' } as never), 'tag is no parameter of stream public (options go after the parameters)'],
    ['hashtag, with onlyMedia (Mastodon has no media hashtag stream)', () => client.hashtag('rust', { onlyMedia: true } as never), 'onlyMedia is no parameter of stream hashtag (options go after the parameters)'],
  ])('a parameter the stream does not have (%s) is refused: it was dropped, and the stream was another than meant', (_label, open, message) => {
    expect(open).toThrow(new MastodonArgumentError(message));
  });

  it('the parameters each stream takes are taken', () => {
    expect(() => client.public({ local: true, onlyMedia: true })).not.toThrow();
    expect(() => client.public({ remote: true, local: undefined })).not.toThrow();
    expect(() => client.hashtag('rust', { local: true })).not.toThrow();
    expect(() => client.stream('list', { list: '1' })).not.toThrow();
    expect(() => client.stream('hashtag:local', { tag: 'rust' })).not.toThrow();
  });

  it("a parameter set to undefined is left out, as an option is: parameters from a config (`{ tag: config.tag, list: config.list }`) threw for every stream", () => {
    const config: { tag?: string | undefined; list?: string | undefined } = {};
    // The name from a config too, so known only at run time (a literal name's types refuse another stream's parameter).
    const open = (name: StreamName, params: StreamParams) => client.stream(name, params);
    for (const name of ['user', 'public:local', 'direct'] as const) expect(() => open(name, { tag: config.tag, list: config.list })).not.toThrow();
    expect(() => open('hashtag', { tag: 'rust', list: config.list })).not.toThrow();
    expect(() => open('list', { list: '42', tag: config.tag })).not.toThrow();
    expect(() => client.public({ local: undefined, remote: undefined, onlyMedia: undefined })).not.toThrow();
    expect(open('list', { list: '42', tag: config.tag }).cursor().params).toEqual({ list: '42' });
  });

  it('every text option has its default in DEFAULT_STREAM_OPTIONS, the one place defaults live (invalidUtf8 had none)', () => {
    expect(DEFAULT_STREAM_OPTIONS).toMatchObject({ validate: 'essentials', malformedEvents: 'report', invalidUtf8: 'replace' });
  });

  it('every documented value of the text options passes', () => {
    for (const validate of ['essentials', 'full', 'off'] as const) expect(() => client.public({}, { validate })).not.toThrow();
    for (const malformedEvents of ['report', 'throw'] as const) expect(() => client.public({}, { malformedEvents })).not.toThrow();
    for (const invalidUtf8 of ['replace', 'report'] as const) expect(() => client.public({}, { invalidUtf8 })).not.toThrow();
    for (const jitter of ['full', 'none'] as const) expect(() => client.public({}, { reconnect: { jitter } })).not.toThrow();
  });

  it.each<[string, unknown]>([
    ['a plain object', {}],
    ['a string', 'abort'],
    ['an object that only looks aborted', { aborted: true }],
    // It would be listened to, then fail to be let go: `break` (return()) threw a TypeError.
    ['an object with addEventListener only', { aborted: false, addEventListener() {} }],
    ['an object with removeEventListener only', { aborted: false, removeEventListener() {} }],
  ])('a signal that is %s is a MastodonArgumentError', (_label, signal) => {
    expect(() => client.public({}, { signal: signal as AbortSignal })).toThrow(new MastodonArgumentError('signal must be an AbortSignal'));
    expect(() => client.public({}, { signal: new AbortController().signal })).not.toThrow();
  });

  it('Infinity means "no limit" where that makes sense, and the defaults pass', () => {
    expect(() => client.public({}, { connectTimeoutMs: Number.POSITIVE_INFINITY, stallTimeoutMs: 0, reconnect: { maxAttempts: Number.POSITIVE_INFINITY }, catchUp: { maxPages: Number.POSITIVE_INFINITY } })).not.toThrow();
    expect(() => client.public()).not.toThrow();
  });

  it.each<[string, unknown]>([
    ['takenAt a string', { takenAt: 'abc' }],
    ['takenAt null', { takenAt: null }],
    ['takenAt negative', { takenAt: -5 }],
    ['takenAt far in the future', { takenAt: 1e300 }],
    ['a numeric lastStatusId', { lastStatusId: 5 }],
    ['no stream (it read "belongs to stream undefined")', { stream: undefined }],
    ['a stream that does not exist', { stream: 'public:everything' }],
  ])('a cursor with %s is a MastodonArgumentError', (_label, fields) => {
    const cursor = { version: 1, stream: 'public', params: {}, takenAt: Date.UTC(2026, 10, 28), ...(fields as object) } as unknown as StreamCursor;
    expect(() => client.public({}, { cursor })).toThrow(MastodonArgumentError);
  });

  it('a userAgent or restTimeoutMs that no request could use is refused by createClient', () => {
    expect(() => createClient({ url: URL_OF_NOTHING, userAgent: 'bot\r\nX-Evil: 1' })).toThrow(MastodonArgumentError);
    for (const restTimeoutMs of [0, -1, Number.NaN]) expect(() => createClient({ url: URL_OF_NOTHING, restTimeoutMs })).toThrow(MastodonArgumentError);
    expect(() => createClient({ url: URL_OF_NOTHING, restTimeoutMs: Object.create(null) })).toThrow(new MastodonArgumentError('restTimeoutMs must be a number > 0 (got object)'));
    expect(() => createClient({ url: URL_OF_NOTHING, restTimeoutMs: '30000' as never })).toThrow(new MastodonArgumentError('restTimeoutMs must be a number > 0 (got "30000")'));
  });

  it('a cursor without a stream says what a cursor is', () => {
    const cursor = { version: 1, params: {}, takenAt: Date.UTC(2026, 10, 28) } as unknown as StreamCursor;
    expect(() => client.public({}, { cursor })).toThrow(new MastodonArgumentError('options.cursor is not a tootstream cursor (version 1, a stream name, takenAt in epoch ms)'));
  });

  it('a cursor taken on a tag resumes the same tag written in another case (Mastodon matches tags without case)', () => {
    const cursor: StreamCursor = { version: 1, stream: 'hashtag', params: { tag: 'Rust' }, takenAt: Date.UTC(2026, 10, 28) };
    expect(() => client.hashtag('rust', {}, { cursor })).not.toThrow();
    expect(() => client.hashtag('RUST', {}, { cursor })).not.toThrow();
    expect(() => client.hashtag('rusty', {}, { cursor })).toThrow('options.cursor belongs to stream "hashtag Rust", not "hashtag rusty"');
  });
});

describe('an option set to undefined counts as left out, as its type says', () => {
  it('passes the checks, at the top level and inside reconnect, catchUp and dedupe', () => {
    const client = createClient({ url: URL_OF_NOTHING, streamingUrl: URL_OF_NOTHING });
    const options: StreamOptions = {
      stallTimeoutMs: undefined,
      maxEventBytes: undefined,
      reconnect: { maxAttempts: undefined, initialDelayMs: undefined },
      catchUp: { pageSize: undefined },
      dedupe: { capacity: undefined },
      onGap: undefined,
    };
    expect(() => client.public({}, options)).not.toThrow();
  });

  it("does not replace the client's stream default", async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    server.failNext({ status: 503, times: 1 });
    const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: TOKEN, streamDefaults: { reconnect: false } });
    const error = await (async () => {
      for await (const _ of client.public({}, { reconnect: undefined }));
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MastodonApiError);
    expect((error as MastodonApiError).status).toBe(503);
    expect(server.requests.filter((request) => request.path.startsWith('/api/v1/streaming'))).toHaveLength(1);
  });
});

describe('answers that a retry cannot fix, and waits a runtime cannot hold', () => {
  it('a token no header can carry ends the stream with a MastodonArgumentError, without a request', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: () => 'tok€n' });
    const error = await (async () => {
      for await (const _ of client.user());
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MastodonArgumentError);
    expect((error as Error).message).not.toContain('tok€n');
    expect(server.requests).toHaveLength(0);
  });

  it.each([405, 414, 431])('HTTP %i is fatal: one request, then the typed error', async (status) => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    server.failNext({ status, times: 5 });
    const error = await (async () => {
      for await (const _ of createClient({ url: server.url, streamingUrl: server.url, accessToken: TOKEN }).public());
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status });
    expect(error).toBeInstanceOf(MastodonApiError);
    expect(server.requests).toHaveLength(1);
  });

  it('a Retry-After longer than a runtime timer can hold is waited (up to a rate-limit window), not turned into a 1 ms loop', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    server.failNext({ status: 429, headers: { 'Retry-After': String(30 * 24 * 3600) }, times: 1000 });
    const delays: number[] = [];
    const controller = new AbortController();
    const loop = (async () => {
      for await (const _ of createClient({ url: server.url, streamingUrl: server.url, accessToken: TOKEN }).public({}, { signal: controller.signal, onReconnecting: ({ delayMs }) => delays.push(delayMs) }));
    })();
    await until(() => delays.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort();
    await loop;
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(MAX_RETRY_AFTER_MS);
    expect(delays[0]).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS + 1_000);
    expect(server.requests).toHaveLength(1);
  });

  it('restTimeoutMs: Infinity means no REST timeout (ky refuses one that long)', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    server.failNext({ status: 200, paths: 'rest', body: { version: '4.5.7', configuration: { urls: { streaming: 'wss://stream.example' } } } });
    await expect(createClient({ url: server.url, accessToken: TOKEN, restTimeoutMs: Number.POSITIVE_INFINITY }).streamingBaseUrl()).resolves.toBe('https://stream.example');
  });
});

describe('clocks and paths', () => {
  it('a wall clock set back while a read waits does not postpone the stall by the size of the step', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const clock = new VirtualClock();
    const stalls: number[] = [];
    const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: TOKEN, clock, random: () => 0, streamDefaults: VIRTUAL_CLOCK_DEFAULTS });
    const iterator = client.public({}, { stallTimeoutMs: 1_000, onStalled: ({ timeoutMs }) => stalls.push(timeoutMs) })[Symbol.asyncIterator]();
    try {
      void take(iterator, 1).catch(() => {});
      await server.waitForConnection();
      server.stall();
      const watchdog = await clock.waitForTimer((timer) => timer.delay === 1_000);
      // The clock is set back 10 min; a second later (by the runtime's own timer) the watchdog runs.
      clock.jump(-600_000 + 1_000);
      clock.clearTimeout(watchdog.id);
      watchdog.callback();
      expect(stalls).toEqual([]);
      // It counts from the step on: one more second of silence is a stall (not 10 min more).
      await clock.fireNext((timer) => timer.delay === 1_000, 2_000);
      expect(stalls).toEqual([1_000]);
    } finally {
      await iterator.return?.();
    }
  });

  it('a tag of dots never becomes a dot segment of a catch-up request (it would climb out of the timeline path)', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const cursor: StreamCursor = { version: 1, stream: 'hashtag', params: { tag: '..' }, takenAt: Date.now() - 60_000 };
    const iterator = createClient({ url: server.url, streamingUrl: server.url, accessToken: TOKEN }).hashtag('..', {}, { cursor, onError: () => {} })[Symbol.asyncIterator]();
    try {
      void take(iterator, 1).catch(() => {});
      await server.waitForConnection();
      server.postStatus({ tags: [{ name: 'x' }] }, { account: 'alice' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.requests.filter((request) => request.path.startsWith('/api/v1/timelines'))).toEqual([]);
    } finally {
      await iterator.return?.();
    }
  });
});
