import { afterEach, describe, expect, it } from 'vitest';
import {
  Mastodon,
  MastodonIllegalArgumentError,
  type AsyncStreamOptions,
  type MastodonOptions,
  type PublicStreamOptions,
} from '@tootstream/listener';
import { Cleanup, clientFor, Recorder, TOKEN } from './support/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

describe('Mastodon client options', () => {
  it('reads its options once: a token or fetch changed on the options object afterwards reaches neither the instance checks nor the stream', async () => {
    const server = await cleanup.server();
    const options = { apiBaseUrl: server.url, accessToken: TOKEN, versionCheckMode: 'created' as const, fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init) };
    const mastodon = new Mastodon(options);
    options.accessToken = 'a-later-token-that-nobody-should-send';
    options.fetch = () => Promise.reject(new Error('the later fetch was used'));
    await cleanup.handle(mastodon.streamPublic(new Recorder(), { runAsync: true }));
    await server.waitForConnection();
    const sent = server.requests.filter((r) => r.path === '/api/v2/instance' || r.path.includes('/streaming/public')).map((r) => [r.path, r.headers.authorization]);
    expect(sent).toEqual([
      ['/api/v2/instance', `Bearer ${TOKEN}`],
      ['/api/v1/streaming/public', `Bearer ${TOKEN}`],
    ]);
  });

  it("an apiBaseUrl with another scheme is refused, not given https (wss:// is core's error)", () => {
    expect(() => new Mastodon({ apiBaseUrl: 'wss://mastodon.example' })).toThrow(MastodonIllegalArgumentError);
  });

  it('a versionCheckMode other than none, created or changed is refused when the client is made, as Mastodon.py refuses it', () => {
    for (const [mode, shown] of [['bogus', '"bogus"'], ['Created', '"Created"'], [null, 'null'], [Object.create(null), 'object']]) {
      expect(() => new Mastodon({ apiBaseUrl: 'https://mastodon.example', versionCheckMode: mode as never })).toThrow(
        new MastodonIllegalArgumentError(`versionCheckMode must be none, created or changed (got ${shown})`),
      );
    }
    for (const mode of ['none', 'created', 'changed', undefined] as const) expect(new Mastodon({ apiBaseUrl: 'https://mastodon.example', versionCheckMode: mode })).toBeInstanceOf(Mastodon);
  });

  it("requestTimeout: null is Python's request_timeout=None, no limit (it was refused); a value without a prototype is shown by its type", async () => {
    const server = await cleanup.server();
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN, requestTimeout: null });
    // No limit, not a limit of 0 made 1 ms: an answer 50 ms late is taken.
    server.failNext({ status: 200, paths: 'all', body: 'OK', delayMs: 50 });
    await expect(mastodon.streamHealthy()).resolves.toBe(true);
    expect(() => new Mastodon({ apiBaseUrl: server.url, requestTimeout: Object.create(null) })).toThrow(
      new MastodonIllegalArgumentError('requestTimeout must be a number of seconds > 0 (got object)'),
    );
    expect(() => new Mastodon({ apiBaseUrl: server.url, requestTimeout: '300' as never })).toThrow(new MastodonIllegalArgumentError('requestTimeout must be a number of seconds > 0 (got "300")'));
  });

  it("a missing apiBaseUrl is refused in the listener's words, also when a port passes Mastodon.py's api_base_url", () => {
    for (const given of [{}, { apiBaseUrl: '' }, { apiBaseUrl: 42 }]) {
      expect(() => new Mastodon(given as never)).toThrow(new MastodonIllegalArgumentError('apiBaseUrl is required: the instance, such as mastodon.social'));
    }
    expect(() => new Mastodon({ api_base_url: 'mastodon.example' } as never)).toThrow(new MastodonIllegalArgumentError("api_base_url is Mastodon.py's name; here it is apiBaseUrl"));
  });

  it("Mastodon.py's snake_case names are refused with the camelCase one: ignored, `run_async` made a blocking call that never returned", async () => {
    const server = await cleanup.server();
    expect(() => new Mastodon({ apiBaseUrl: server.url, request_timeout: 10 } as never)).toThrow(new MastodonIllegalArgumentError("request_timeout is Mastodon.py's name; here it is requestTimeout"));
    const mastodon = clientFor(server);
    await expect(mastodon.streamUser(new Recorder(), { run_async: true } as never)).rejects.toThrow(new MastodonIllegalArgumentError("run_async is Mastodon.py's name; here it is runAsync"));
    await expect(mastodon.streamPublic(new Recorder(), { reconnect_async_wait_sec: 1 } as never)).rejects.toThrow("here it is reconnectAsyncWaitSec");
    expect(server.totalConnections).toBe(0);
  });

  it('the constructor refuses an option neither it nor core has: `token` for accessToken passed through, ignored, to a 401 at the first stream', async () => {
    const server = await cleanup.server();
    expect(() => new Mastodon({ apiBaseUrl: server.url, ...{ token: 'listener-token' } })).toThrow(new MastodonIllegalArgumentError('token is no client option'));
    expect(() => new Mastodon({ apiBaseUrl: server.url, ...{ streamingURL: server.url } })).toThrow(new MastodonIllegalArgumentError('streamingURL is no client option'));
    // Its own options are its own: core, which has none of them, is not handed them to refuse.
    expect(() => new Mastodon({ apiBaseUrl: server.url, requestTimeout: 5, onWarning: () => {}, versionCheckMode: 'none', accessToken: 't', streamingUrl: server.url, userAgent: 'test' })).not.toThrow();
    expect(server.requests).toHaveLength(0);
  });

  it("core's names for the listener's own options are refused: `url` streamed from apiBaseUrl, `restTimeoutMs` was replaced by requestTimeout's 300 s", async () => {
    const server = await cleanup.server();
    expect(() => new Mastodon({ apiBaseUrl: server.url, ...{ url: 'https://elsewhere.example' } })).toThrow(new MastodonIllegalArgumentError("url is core's name; here it is apiBaseUrl or requestTimeout (seconds)"));
    expect(() => new Mastodon({ apiBaseUrl: server.url, ...{ restTimeoutMs: 1000 } })).toThrow(new MastodonIllegalArgumentError("restTimeoutMs is core's name; here it is apiBaseUrl or requestTimeout (seconds)"));
    expect(server.requests).toHaveLength(0);
  });

  it('a stream call refuses an option it does not have: a misspelt runAsync made a blocking call that never returned', async () => {
    const server = await cleanup.server();
    const mastodon = clientFor(server);
    await expect(mastodon.streamUser(new Recorder(), { runAsnyc: true } as never)).rejects.toThrow(new MastodonIllegalArgumentError('runAsnyc is no option of a stream call'));
    await expect(mastodon.streamHashtag('rust', new Recorder(), { locl: true } as never)).rejects.toThrow(new MastodonIllegalArgumentError('locl is no option of a stream call'));
    // Another stream's own options: each streamed what it did not ask for (the home timeline, every status of the tag).
    await expect(mastodon.streamUser(new Recorder(), { local: true } as never)).rejects.toThrow(new MastodonIllegalArgumentError('local is no option of a stream call'));
    await expect(mastodon.streamHashtag('rust', new Recorder(), { onlyMedia: true } as never)).rejects.toThrow(new MastodonIllegalArgumentError('onlyMedia is no option of a stream call'));
    await expect(mastodon.streamList('42', new Recorder(), { remote: true } as never)).rejects.toThrow(new MastodonIllegalArgumentError('remote is no option of a stream call'));
    // streamLocal is the public stream with `local`: a `remote` was overridden, streaming the local timeline unasked.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    await expect(mastodon.streamLocal(new Recorder(), { remote: true } as never)).rejects.toThrow(new MastodonIllegalArgumentError('`local` and `remote` cannot both be set'));
    expect(server.totalConnections).toBe(0);
    // Every option a call has is taken (the public stream's own included).
    const handle = await cleanup.handle(
      mastodon.streamPublic(new Recorder(), {
        runAsync: true,
        reconnectAsync: true,
        reconnectAsyncWaitSec: 1,
        timeout: 60,
        stopOnHandlerError: true,
        catchUp: true,
        malformedEvents: 'report',
        validate: 'essentials',
        signal: new AbortController().signal,
        local: true,
        onlyMedia: false,
      } satisfies Required<AsyncStreamOptions & Omit<PublicStreamOptions, 'remote'>>),
    );
    expect(handle.isAlive()).toBe(true);
  });

  it('streamDefaults refuses the stream options each call sets: a shutdown signal there ended no listener stream, and the process never exited', () => {
    const hook = () => {};
    for (const [name, value] of Object.entries({ signal: new AbortController().signal, reconnect: false, validate: 'off', stallTimeoutMs: 50, catchUp: {}, dedupe: {}, onError: hook, onHeartbeat: hook, onReconnecting: hook })) {
      expect(() => new Mastodon({ apiBaseUrl: 'https://mastodon.example', streamDefaults: { [name]: value } as never })).toThrow(new MastodonIllegalArgumentError(`${name} is no option of streamDefaults`));
    }
    const taken = { maxEventBytes: 1000, onStateChange: hook, onConnecting: hook, onOpen: hook, onStalled: hook, onGap: hook, onClose: hook } satisfies Required<NonNullable<MastodonOptions['streamDefaults']>>;
    expect(() => new Mastodon({ apiBaseUrl: 'https://mastodon.example', streamDefaults: taken })).not.toThrow();
    expect(() => new Mastodon({ apiBaseUrl: 'https://mastodon.example', streamDefaults: undefined })).not.toThrow();
  });

  it('catchUp is refused where no reconnect can need it (a blocking call; runAsync without reconnectAsync): a port would think it had no gaps', async () => {
    const server = await cleanup.server();
    const mastodon = clientFor(server);
    const refused = new MastodonIllegalArgumentError('catchUp needs runAsync and reconnectAsync');
    await expect(mastodon.streamUser(new Recorder(), { catchUp: true } as never)).rejects.toThrow(refused);
    await expect(mastodon.streamUser(new Recorder(), { runAsync: true, catchUp: true })).rejects.toThrow(refused);
    await expect(mastodon.streamUser(new Recorder(), { runAsync: true, reconnectAsync: false, catchUp: true })).rejects.toThrow(refused);
    expect(server.totalConnections).toBe(0);
  });

  it('a fetch option that is not a function is still refused when the client is made', () => {
    expect(() => new Mastodon({ apiBaseUrl: 'https://mastodon.example', fetch: {} as typeof fetch })).toThrow(MastodonIllegalArgumentError);
  });
});
