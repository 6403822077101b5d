import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Mastodon,
  MastodonIllegalArgumentError,
  MastodonInternalServerError,
  MastodonNetworkError,
  MastodonServiceUnavailableError,
  MastodonUnauthorizedError,
} from '@tootstream/listener';
import { Cleanup, clientFor, Recorder, TOKEN } from './support/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

describe('streamHealthy()', () => {
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
