import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Mastodon,
  MastodonIllegalArgumentError,
  MastodonInternalServerError,
  MastodonNetworkError,
  MastodonServiceUnavailableError,
  MastodonUnauthorizedError,
  MastodonVersionError,
  MastodonWarning,
  type AsyncStreamOptions,
  type MastodonOptions,
  type PublicStreamOptions,
} from '@tootstream/listener';
import { Cleanup, clientFor, Recorder, TOKEN, waitFor } from './support/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

describe('Mastodon client', () => {
  it('case 21: streamHealthy() is true against a healthy server', async () => {
    const server = await cleanup.server();
    await expect(clientFor(server).streamHealthy()).resolves.toBe(true);
  });

  it('streamHealthy() maps HTTP errors like any REST call', async () => {
    const server = await cleanup.server();
    server.setHealthy(false);
    await expect(clientFor(server).streamHealthy()).rejects.toBeInstanceOf(MastodonServiceUnavailableError);
  });

  it("streamHealthy(): a server's JSON error and X-Request-Id are cut to 200 characters, after redaction", async () => {
    const server = await cleanup.server();
    const long = `Bearer ${TOKEN} ${'y'.repeat(10_000)}`;
    server.failNext({ status: 503, paths: 'all', body: { error: long }, headers: { 'X-Request-Id': long } });
    const error = await streamHealthyFailure(clientFor(server));
    const cut = `Bearer [redacted] ${'y'.repeat(200 - 'Bearer [redacted] '.length)}`;
    expect(error).toMatchObject({ serverMessage: cut, requestId: cut });
  });

  it('streamHealthy() errors carry the X-Request-Id of the answer', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 503, paths: 'all', headers: { 'X-Request-Id': 'req-7' } });
    const error = await streamHealthyFailure(clientFor(server));
    expect(error).toBeInstanceOf(MastodonServiceUnavailableError);
    expect((error as MastodonServiceUnavailableError).requestId).toBe('req-7');
  });

  it('streamHealthy() errors never quote the token: an X-Request-Id that echoes Authorization is redacted', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 500, paths: 'all', headers: { 'X-Request-Id': `Bearer ${TOKEN}` } });
    const error = await streamHealthyFailure(clientFor(server));
    expect(error).toBeInstanceOf(MastodonInternalServerError);
    expect((error as MastodonInternalServerError).requestId).toBe('Bearer [redacted]');
    expect(everythingIn(error)).not.toContain(TOKEN);
  });

  for (const [label, bad] of [
    ['a line break', `${TOKEN}\r\nX-Injected: 1`],
    ['a character beyond Latin-1', `${TOKEN}\u2013`],
  ] as const) {
    it(`streamHealthy() rejects a token with ${label} as MastodonIllegalArgumentError, before any request and without quoting it`, async () => {
      const server = await cleanup.server();
      for (const accessToken of [bad, () => bad]) {
        const error = await streamHealthyFailure(clientFor(server, { accessToken }));
        expect(error).toBeInstanceOf(MastodonIllegalArgumentError);
        expect((error as Error).message).toBe('accessToken must be a string (or return one) without line breaks or characters beyond Latin-1');
        expect(everythingIn(error)).not.toContain(TOKEN);
      }
      expect(server.requests.filter((request) => request.path.endsWith('/health'))).toEqual([]);
    });

    // Core refuses such a token with the same error, but only once a stream connects: the instance checks must refuse it
    // themselves for the call to reject before any request, with no handle and no onAbort (so their check stays).
    it(`with versionCheckMode, a stream call rejects a token with ${label} as MastodonIllegalArgumentError before any request`, async () => {
      const server = await cleanup.server();
      const listener = new Recorder();
      const error = await clientFor(server, { accessToken: bad, versionCheckMode: 'created' })
        .streamUser(listener, { runAsync: true })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MastodonIllegalArgumentError);
      expect(everythingIn(error)).not.toContain(TOKEN);
      expect(server.requests).toEqual([]);
      expect(listener.calls).toEqual([]);
    });
  }

  // What a failing fetch may hold the token in: the text undici throws for a header value it cannot send, an inner layer
  // of the cause chain, or (a user's wrapping fetch) the Request or its headers kept as objects. The message names the
  // innermost reason (undici's own "fetch failed" says nothing), without the token.
  it.each([
    ['its text', () => new TypeError(`Headers.append: "Bearer ${TOKEN}" is an invalid header value.`), 'Headers.append: "Bearer [redacted]" is an invalid header value.'],
    ['an inner layer of its cause chain', () => new TypeError('fetch failed', { cause: new Error(`proxy refused "Bearer ${TOKEN}"`) }), 'proxy refused "Bearer [redacted]"'],
    ['the Request, kept as an object', (request: Request) => Object.assign(new TypeError('request failed'), { request }), 'request failed'],
    ['its headers, a layer down', (request: Request) => Object.assign(new TypeError('request failed'), { cause: { options: { headers: request.headers } } }), 'request failed'],
  ])('streamHealthy(): a fetch failure holding the token in %s keeps it out of message, reason and cause', async (_label, failure, said) => {
    const server = await cleanup.server();
    const fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise.reject(failure(new Request(input, init)));
    const error = await streamHealthyFailure(clientFor(server, { fetch }));
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect((error as MastodonNetworkError).message).toBe(`Could not reach the streaming health endpoint: ${said}`);
    expect(everythingIn(error)).not.toContain(TOKEN);
  });

  it('streamHealthy() on a host that refuses the connection names the refusal, not undici\'s "fetch failed"', async () => {
    const server = await cleanup.server();
    const refusing = `http://127.0.0.1:${new URL(server.url).port}`;
    await server.close();
    const error = await streamHealthyFailure(new Mastodon({ apiBaseUrl: refusing, streamingUrl: refusing, accessToken: TOKEN }));
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect((error as MastodonNetworkError).message).toMatch(/^Could not reach the streaming health endpoint: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });

  it("streamHealthy() over TLS to a plain HTTP server keeps OpenSSL's reason on one line, with its code", async () => {
    const server = await cleanup.server();
    const wrongScheme = server.url.replace('http:', 'https:');
    const error = await streamHealthyFailure(new Mastodon({ apiBaseUrl: wrongScheme, streamingUrl: wrongScheme, accessToken: TOKEN }));
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect((error as MastodonNetworkError).message).toMatch(/wrong version number.* \(ERR_SSL_WRONG_VERSION_NUMBER\)$/);
  });

  it('streamHealthy() errors never quote the token: a redirect whose target echoes it leaves it out of the error url', async () => {
    const server = await cleanup.server();
    const other = await cleanup.server();
    other.setHealthy(false);
    server.failNext({ status: 302, paths: 'all', body: '', headers: { Location: `${other.url}/api/v1/streaming/health?echo=${TOKEN}` } });
    const error = await streamHealthyFailure(clientFor(server));
    expect(error).toBeInstanceOf(MastodonServiceUnavailableError);
    expect((error as MastodonServiceUnavailableError).url).toBe(`${other.url}/api/v1/streaming/health?echo=[redacted]`);
    expect(everythingIn(error)).not.toContain(TOKEN);
  });

  it('streamHealthy(): a redirect to an unparsable target that echoes the token keeps it out of the network error and its cause', async () => {
    const server = await cleanup.server();
    // fetch's cause keeps the target it could not parse as `input`.
    server.failNext({ status: 302, paths: 'all', body: '', headers: { Location: `http://[::1/?echo=${TOKEN}` } });
    const error = await streamHealthyFailure(clientFor(server));
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect(everythingIn(error)).not.toContain(TOKEN);
  });

  it('streamHealthy() errors never quote the token: a JSON error that echoes Authorization is redacted', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 401, paths: 'all', body: { error: `invalid token Bearer ${TOKEN}` } });
    const error = await streamHealthyFailure(clientFor(server));
    expect(error).toBeInstanceOf(MastodonUnauthorizedError);
    expect((error as MastodonUnauthorizedError).serverMessage).toBe('invalid token Bearer [redacted]');
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(TOKEN);
  });

  it('streamHealthy() errors never quote the token: in a proxy page, the bare token (even where the excerpt is cut) and any Bearer value are redacted', async () => {
    const server = await cleanup.server();
    const page = `<p>Authorization: Bearer some.other/token== from ${TOKEN}</p>`;
    // The excerpt keeps 200 characters: the second copy of the token straddles the cut.
    server.failNext({ status: 502, paths: 'all', body: `${page}${'.'.repeat(200 - page.length - 4)}${TOKEN}` });
    const error = await streamHealthyFailure(clientFor(server));
    const { serverMessage } = error as MastodonUnauthorizedError;
    expect(serverMessage).toMatch(/^<p>Authorization: Bearer \[redacted\] from \[redacted\]<\/p>\.+\[redacted\]$/);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(TOKEN.slice(0, 4));
  });

  it('streamHealthy() is false for any other 2xx body', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, body: 'maybe', paths: 'all' });
    await expect(clientFor(server).streamHealthy()).resolves.toBe(false);
  });

  it('streamHealthy() stops waiting for a body that never finishes after requestTimeout: MastodonNetworkError', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, body: 'O', paths: 'all', holdOpen: true });
    const started = Date.now();
    const error = await streamHealthyFailure(clientFor(server, { requestTimeout: 0.3 }));
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect((error as Error).message).toContain('did not finish within 300 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a requestTimeout longer than a runtime timer holds (3e6 s) is not an instant timeout', async () => {
    const server = await cleanup.server();
    await expect(clientFor(server, { requestTimeout: 3e6 }).streamHealthy()).resolves.toBe(true);
  });

  it('case 22: the advertised wss:// streaming URL becomes https://, is cached, and clearCaches() refetches', async () => {
    const server = await cleanup.server({ advertisedStreamingUrl: 'wss://stream.example/' });
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN });
    await expect(mastodon.streamingBaseUrl()).resolves.toBe('https://stream.example');
    await expect(mastodon.streamingBaseUrl()).resolves.toBe('https://stream.example');
    const instanceRequests = () => server.requests.filter((r) => r.path === '/api/v2/instance').length;
    expect(instanceRequests()).toBe(1);
    mastodon.clearCaches();
    await mastodon.streamingBaseUrl();
    expect(instanceRequests()).toBe(2);
  });

  it('case 22: v1 is used when v2 is missing', async () => {
    const server = await cleanup.server({ instanceV2: false, advertisedStreamingUrl: 'wss://stream.example' });
    await expect(new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN }).streamingBaseUrl()).resolves.toBe('https://stream.example');
    expect(server.requests.some((r) => r.path === '/api/v1/instance')).toBe(true);
  });

  it('case 22: with v2 missing, a stream start that checks the instance asks v2 once, not again for the discovery', async () => {
    const server = await cleanup.server({ instanceV2: false });
    await cleanup.handle(new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN }).streamPublic(new Recorder(), { runAsync: true }));
    await server.waitForConnection();
    expect(server.requests.map((r) => r.path).filter((path) => path.endsWith('/instance'))).toEqual(['/api/v2/instance', '/api/v1/instance']);
  });

  it('an instance document that echoes the token (into its streaming URL) is not handed to core: no request URL ever holds the token', async () => {
    const server = await cleanup.server();
    // Only the listener's own instance request carries the token; this answer to it puts the token into the streaming URL.
    server.failNext({ status: 200, paths: 'rest', body: { version: '4.5.7', configuration: { urls: { streaming: `${server.url.replace('http', 'ws')}/${TOKEN}` } } } });
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN });
    await cleanup.handle(mastodon.streamPublic(new Recorder(), { runAsync: true }));
    const connection = await server.waitForConnection();
    expect(connection.stream).toBe('public');
    expect(await mastodon.streamingBaseUrl()).not.toContain(TOKEN);
    expect(server.requests.filter((request) => request.path === '/api/v2/instance').length).toBeGreaterThanOrEqual(1);
    expect(server.requests.map((request) => request.path).filter((path) => path.includes(TOKEN))).toEqual([]);
  });

  it('case 22: discovery happens once across several streams', async () => {
    const server = await cleanup.server();
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN });
    const first = mastodon.streamUser(new Recorder());
    await server.waitForConnection();
    const second = mastodon.streamDirect(new Recorder());
    await server.waitForConnectionCount(2);
    server.endStreams();
    await Promise.all([first, second]);
    expect(server.requests.filter((r) => r.path === '/api/v2/instance')).toHaveLength(1);
  });

  it('an instance document a redirect brought from another origin is not trusted: a public stream (whose feed warning reads it) opens at the instance', async () => {
    const elsewhere = await cleanup.server({ advertisedStreamingUrl: 'ws://127.0.0.1:9/elsewhere' });
    const server = await cleanup.server();
    server.failNext({ status: 301, body: '', paths: 'rest', times: 2, headers: { Location: `${elsewhere.url}/api/v2/instance` } });
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN });
    await cleanup.handle(mastodon.streamPublic(new Recorder(), { runAsync: true }));
    await server.waitForConnection();
    await expect(mastodon.streamingBaseUrl()).resolves.toBe(server.url);
    expect(elsewhere.requests.every((r) => r.path === '/api/v2/instance')).toBe(true);
  });

  const instanceRequests = (server: { requests: ReadonlyArray<{ path: string }> }) => server.requests.filter((r) => r.path === '/api/v2/instance').length;

  it.each([
    ['streamPublic() (its feed warning)', (m: Mastodon) => m.streamPublic(new Recorder(), { runAsync: true }), {}],
    ['streamHashtag() (its feed warning)', (m: Mastodon) => m.streamHashtag('rust', new Recorder(), { runAsync: true }), {}],
    ["streamUser() with versionCheckMode 'created'", (m: Mastodon) => m.streamUser(new Recorder(), { runAsync: true }), { versionCheckMode: 'created' as const }],
  ])('case 22: %s without streamingUrl fetches the instance document once: the discovery reads the one the check fetched', async (_label, start, options) => {
    const server = await cleanup.server();
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN, ...options });
    await cleanup.handle(start(mastodon));
    await server.waitForConnection();
    expect(instanceRequests(server)).toBe(1);
  });

  it('case 22: a public stream started after a user stream discovered the streaming host reads the document that discovery fetched', async () => {
    const server = await cleanup.server();
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN });
    await cleanup.handle(mastodon.streamUser(new Recorder(), { runAsync: true }));
    await server.waitForConnection();
    await cleanup.handle(mastodon.streamPublic(new Recorder(), { runAsync: true }));
    await server.waitForConnectionCount(2);
    expect(instanceRequests(server)).toBe(1);
    expect(server.requests.some((r) => r.path === '/api/v1/instance')).toBe(false);
  });

  it('case 22: the feed warning reads the document that discovery fetched', async () => {
    const server = await cleanup.server();
    server.setTimelinesAccess({ liveFeeds: { local: 'disabled', remote: 'disabled' } });
    const warnings: MastodonWarning[] = [];
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN, onWarning: (w) => void warnings.push(w) });
    await mastodon.streamingBaseUrl();
    await cleanup.handle(mastodon.streamPublic(new Recorder(), { runAsync: true }));
    await waitFor(() => warnings.length === 1, 'the feed warning');
    expect(instanceRequests(server)).toBe(1);
  });

  it('case 22: the version check reads the document that discovery fetched, and after clearCaches() asks again', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: { version: '1.0.0' } });
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN, versionCheckMode: 'created' });
    await mastodon.streamingBaseUrl();
    expect(instanceRequests(server)).toBe(1);
    await expect(mastodon.streamUserNotification(new Recorder(), { runAsync: true })).rejects.toBeInstanceOf(MastodonVersionError);
    expect(instanceRequests(server)).toBe(1);
    mastodon.clearCaches();
    // The server's own document (4.5) passes the check.
    await cleanup.handle(mastodon.streamUserNotification(new Recorder(), { runAsync: true }));
    expect(instanceRequests(server)).toBe(2);
  });

  it("case 22: streamHealthy() with versionCheckMode 'created' and without streamingUrl fetches the instance document once", async () => {
    const server = await cleanup.server();
    await expect(new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN, versionCheckMode: 'created' }).streamHealthy()).resolves.toBe(true);
    expect(instanceRequests(server)).toBe(1);
  });

  it.each([
    ['mastodon.example', 'https://mastodon.example/'],
    ['localhost:3000/', 'https://localhost:3000/'],
  ])("apiBaseUrl %j without a scheme is https, as Mastodon.py's api_base_url (its __protocolize), for core's requests and the instance checks", async (given, expected) => {
    // Only where requests go is under test, not the transport: a fetch that records and answers like a healthy instance without a document.
    const asked: string[] = [];
    const recording: typeof fetch = async (input) => {
      asked.push(input instanceof Request ? input.url : String(input));
      return new Response('OK', { status: String(input).endsWith('/health') ? 200 : 404 });
    };
    const mastodon = new Mastodon({ apiBaseUrl: given, accessToken: TOKEN, fetch: recording, versionCheckMode: 'created' });
    await expect(mastodon.streamHealthy()).resolves.toBe(true);
    expect(asked.length).toBeGreaterThan(1);
    for (const url of asked) expect(url.startsWith(expected)).toBe(true);
  });

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

  it('case 22: the stream goes where the document the check fetched says; after clearCaches() the next stream fetches it once again', async () => {
    // The instance advertises ws://127.0.0.1:PORT/relay: only a discovery that read the document finds the prefix.
    const server = await cleanup.server({ streamingPath: '/relay' });
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN });
    const first = await cleanup.handle(mastodon.streamPublic(new Recorder(), { runAsync: true }));
    await server.waitForConnection();
    const streamPaths = () => server.requests.filter((r) => r.path.includes('/streaming/public')).map((r) => r.path);
    expect(streamPaths()).toEqual(['/relay/api/v1/streaming/public']);
    expect(instanceRequests(server)).toBe(1);
    await first.close();
    mastodon.clearCaches();
    await cleanup.handle(mastodon.streamPublic(new Recorder(), { runAsync: true }));
    await waitFor(() => streamPaths().length === 2, 'the second stream request');
    expect(streamPaths()[1]).toBe('/relay/api/v1/streaming/public');
    expect(instanceRequests(server)).toBe(2);
  });

  it('case 23: no warning when the feed is available', async () => {
    const server = await cleanup.server();
    const warnings: MastodonWarning[] = [];
    const mastodon = clientFor(server, { onWarning: (w) => void warnings.push(w) });
    const handle = await mastodon.streamPublic(new Recorder(), { runAsync: true });
    await server.waitForConnection();
    await handle.close();
    expect(warnings).toEqual([]);
    expect(handle.isAlive()).toBe(false);
  });

  it.each([
    ['streamPublic({ local: true })', (m: Mastodon, r: Recorder) => m.streamPublic(r, { local: true, runAsync: true }), 'live_feeds', { local: 'disabled', remote: 'public' }],
    ['streamPublic()', (m: Mastodon, r: Recorder) => m.streamPublic(r, { runAsync: true }), 'live_feeds', { local: 'disabled', remote: 'disabled' }],
    ['streamHashtag(tag, { local: true })', (m: Mastodon, r: Recorder) => m.streamHashtag('rust', r, { local: true, runAsync: true }), 'hashtag_feeds', { local: 'disabled', remote: 'public' }],
  ] as const)('case 23: %s warns (non-fatal) when the feed is disabled; the handle still closes', async (_label, start, feed, access) => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: { configuration: { timelines_access: { [feed]: access } } } });
    const warnings: MastodonWarning[] = [];
    const mastodon = clientFor(server, { onWarning: (w) => void warnings.push(w) });
    const handle = await start(mastodon, new Recorder());
    await waitFor(() => warnings.length === 1, 'the warning');
    expect(warnings[0]).toBeInstanceOf(MastodonWarning);
    await server.waitForConnection();
    expect(handle.isAlive()).toBe(true);
    await handle.close();
    expect(handle.isAlive()).toBe(false);
  });

  it.each([
    ['throws', () => { throw new Error('sink down'); }],
    ['rejects (async)', async () => { throw new Error('sink down'); }],
  ] as const)('case 23: an onWarning that %s neither ends the stream nor escapes as an unhandled rejection; it is logged', async (_label, onWarning) => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: { configuration: { timelines_access: { live_feeds: { local: 'disabled', remote: 'disabled' } } } } });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const logged: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void logged.push(args);
    try {
      const recorder = new Recorder();
      const handle = await clientFor(server, { onWarning }).streamPublic(recorder, { runAsync: true });
      await waitFor(() => logged.some(([text]) => text === '[tootstream/listener] onWarning threw'), 'the failure to be logged');
      await server.waitForConnection();
      server.postStatus({ content: '<p>still streaming</p>' });
      await waitFor(() => recorder.calls.some(([name]) => name === 'onUpdate'), 'an update after the warning');
      expect(handle.isAlive()).toBe(true);
      expect(recorder.calls.filter(([name]) => name === 'onAbort')).toEqual([]);
      await handle.close();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      console.warn = warn;
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('the availability warning asks a function-valued accessToken once (with versionCheckMode too)', async () => {
    for (const versionCheckMode of ['none', 'created'] as const) {
      const server = await cleanup.server();
      server.failNext({ status: 200, paths: 'rest', body: { version: '4.5.7', configuration: { timelines_access: { live_feeds: { local: 'disabled', remote: 'disabled' } } } } });
      let calls = 0;
      const atWarning: number[] = [];
      const mastodon = clientFor(server, { versionCheckMode, accessToken: () => (calls++, TOKEN), onWarning: () => void atWarning.push(calls) });
      const handle = await cleanup.handle(mastodon.streamPublic(new Recorder(), { runAsync: true }));
      await waitFor(() => atWarning.length === 1, 'the warning');
      // Before the stream connects (core asks again for each connect), the checks asked exactly once.
      expect(atWarning).toEqual([1]);
      await server.waitForConnection();
      await handle.close();
    }
  });

  it('case 23: the federated stream counts as available if either origin is', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: { configuration: { timelines_access: { live_feeds: { local: 'disabled', remote: 'authenticated' } } } } });
    const warnings: MastodonWarning[] = [];
    const handle = await clientFor(server, { onWarning: (w) => void warnings.push(w) }).streamPublic(new Recorder(), { runAsync: true });
    await server.waitForConnection();
    await handle.close();
    expect(warnings).toEqual([]);
  });

  it('a listener that is not a StreamListener (a plain object with only onUpdate) is rejected before any request, in both modes', async () => {
    const server = await cleanup.server();
    const mastodon = clientFor(server);
    const duckTyped = { onUpdate: () => undefined } as unknown as Recorder;
    for (const options of [{ runAsync: true as const }, {}]) {
      const error = await mastodon.streamPublic(duckTyped, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MastodonIllegalArgumentError);
      expect((error as Error).message).toBe('listener must be a StreamListener');
    }
    await expect(mastodon.streamUser(null as unknown as Recorder)).rejects.toBeInstanceOf(MastodonIllegalArgumentError);
    expect(server.requests).toHaveLength(0);
    // An object that has the machinery's methods is accepted: the check is by shape, so a listener from another copy of the package passes.
    const shaped = Object.assign(Object.create(null) as object, new Recorder(), Object.fromEntries(['onAbort', 'onError', 'onAnyEvent', 'onUnknownEvent', 'handleHeartbeat', 'onUpdate'].map((name) => [name, () => undefined])));
    const handle = await cleanup.handle(mastodon.streamPublic(shaped as Recorder, { runAsync: true }));
    await server.waitForConnection();
    expect(handle.isAlive()).toBe(true);
  });

  it('streamLocal (deprecated) is streamPublic({ local: true }); streamPublic({ remote }) and onlyMedia pick their paths', async () => {
    const server = await cleanup.server();
    const mastodon = clientFor(server);
    const calls = [
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      mastodon.streamLocal(new Recorder(), { runAsync: true }),
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      mastodon.streamLocal(new Recorder(), { onlyMedia: true, runAsync: true }),
      mastodon.streamPublic(new Recorder(), { remote: true, runAsync: true }),
      mastodon.streamPublic(new Recorder(), { onlyMedia: true, runAsync: true }),
      mastodon.streamUserNotification(new Recorder(), { runAsync: true }),
      mastodon.streamList({ id: '42' }, new Recorder(), { runAsync: true }),
      mastodon.streamList(42, new Recorder(), { runAsync: true }),
      mastodon.streamHashtag('Rust', new Recorder(), { local: true, runAsync: true }),
    ];
    const handles = await Promise.all(calls.map((call) => cleanup.handle(call)));
    await server.waitForConnectionCount(handles.length);
    expect(server.connections.map((c) => c.url).sort()).toEqual(
      [
        '/api/v1/streaming/public/local',
        '/api/v1/streaming/public/local?only_media=true',
        '/api/v1/streaming/public/remote',
        '/api/v1/streaming/public?only_media=true',
        '/api/v1/streaming/user/notification',
        '/api/v1/streaming/list?list=42',
        '/api/v1/streaming/list?list=42',
        '/api/v1/streaming/hashtag/local?tag=Rust',
      ].sort(),
    );
  });
});

/** Every text an error shows: message, reason, stack, JSON and `util.inspect`, down its cause chain. */
/** What `streamHealthy()` of `client` rejected with (or resolved to). */
function streamHealthyFailure(client: Mastodon): Promise<unknown> {
  return client.streamHealthy().catch((e: unknown) => e);
}

function everythingIn(error: unknown): string {
  const texts: string[] = [JSON.stringify(error), inspect(error, { depth: 10 })];
  for (let current = error; current instanceof Error; current = current.cause) {
    texts.push(current.message, String(current.stack), String((current as { reason?: unknown }).reason));
  }
  return texts.join('\n');
}
