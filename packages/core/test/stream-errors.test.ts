import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { startSilentServer } from './support/silent-server.js';
import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { VirtualClock } from './support/virtual-clock.js';
import { MastodonApiError, MastodonContentTypeError, MastodonNetworkError, isMastodonApiError, isMastodonNetworkError, isTootstreamError } from '../src/errors.js';

const TOKEN = 'peer-test-token';
let server: FakeMastodon | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function firstFailure(options: { url: string; token?: string }): Promise<unknown> {
  const client = createClient({ url: options.url, streamingUrl: options.url, accessToken: options.token ?? TOKEN });
  try {
    for await (const _ of client.user({ reconnect: false })) break;
  } catch (error) {
    return error;
  }
  throw new Error('expected the stream to fail');
}

describe('HTTP errors map to MastodonApiError with the status and the server message', () => {
  it.each([400, 401, 403, 404, 410, 429, 500, 502, 503])('%i', async (status) => {
    server = await createFakeMastodon();
    server.failNext({ status, body: { error: `scripted ${status}` }, headers: status === 429 ? { 'Retry-After': '3' } : {} });
    const error = await firstFailure({ url: server.url });
    expect(error).toBeInstanceOf(MastodonApiError);
    expect(error).toMatchObject({ code: 'API', status, serverMessage: `scripted ${status}` });
    if (status === 429) expect(error).toMatchObject({ retryAfterMs: 3000 });
    expect(isMastodonApiError(error)).toBe(true);
    expect((error as MastodonApiError).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("an HTML error page (a wrong url, a proxy's 502) is named by its title, not its markup; plain text is kept as it is", async () => {
    server = await createFakeMastodon();
    const page = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
    server.failNext({ status: 502, body: page, headers: { 'Content-Type': 'text/html' } });
    expect(await firstFailure({ url: server.url })).toMatchObject({ status: 502, serverMessage: '502 Bad Gateway', message: 'Mastodon answered 502: 502 Bad Gateway' });
    server.failNext({ status: 404, body: '<html><body><h1>Not Found</h1></body></html>', headers: { 'Content-Type': 'text/html' } });
    const untitled = (await firstFailure({ url: server.url })) as MastodonApiError;
    expect(untitled).toMatchObject({ status: 404, serverMessage: undefined });
    expect(untitled.message).not.toContain('<');
    server.failNext({ status: 503, body: 'upstream connect error', headers: { 'Content-Type': 'text/plain' } });
    expect(await firstFailure({ url: server.url })).toMatchObject({ status: 503, serverMessage: 'upstream connect error' });
  });

  it('the real server answers: missing token, invalid token, foreign list', async () => {
    server = await createFakeMastodon();
    await expect(firstFailure({ url: server.url, token: '' })).resolves.toMatchObject({ status: 401, serverMessage: 'Missing access token' });
    await expect(firstFailure({ url: server.url, token: 'nope' })).resolves.toMatchObject({ status: 401, serverMessage: 'Invalid access token' });
    const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: TOKEN });
    await expect(
      (async () => {
        for await (const _ of client.list('43', { reconnect: false })) break;
      })(),
    ).rejects.toMatchObject({ status: 401, serverMessage: 'Not authorized to stream this list' });
  });

  it('never puts the token in an error message', async () => {
    server = await createFakeMastodon();
    const secret = 'secret-token-value-123';
    const error = (await firstFailure({ url: server.url, token: secret })) as Error;
    expect(`${error.message} ${String(error.stack)} ${JSON.stringify(error)}`).not.toContain(secret);
  });

  it('rejects a 200 that is not an event stream', async () => {
    server = await createFakeMastodon();
    server.failNext({ status: 200, body: '<html>captive portal</html>', headers: { 'Content-Type': 'text/html' } });
    const error = await firstFailure({ url: server.url });
    expect(error).toBeInstanceOf(MastodonContentTypeError);
    expect(error).toMatchObject({ code: 'UNEXPECTED_CONTENT_TYPE', contentType: 'text/html', url: `${server.url}/api/v1/streaming/user`, status: 200 });
  });

  it('names the status of a 2xx that is not an event stream (a 204)', async () => {
    server = await createFakeMastodon();
    server.failNext({ status: 204, body: '' });
    const error = await firstFailure({ url: server.url });
    expect(error).toMatchObject({ code: 'UNEXPECTED_CONTENT_TYPE', status: 204 });
  });

  it('names the URL that answered, after a redirect to another host (whose 401 would otherwise look like a bad token for the host asked)', async () => {
    server = await createFakeMastodon();
    const other = await createFakeMastodon();
    try {
      // fetch follows the redirect and, the origin being another, drops Authorization (as Mastodon.py's requests did, halcy/Mastodon.py#392).
      server.failNext({ status: 301, body: '', headers: { Location: `${other.url}/api/v1/streaming/user` } });
      const error = await firstFailure({ url: server.url });
      expect(error).toMatchObject({ code: 'API', status: 401, url: `${other.url}/api/v1/streaming/user` });
      const direct = await firstFailure({ url: other.url, token: 'not-a-token' });
      expect(direct).toMatchObject({ status: 401, url: `${other.url}/api/v1/streaming/user` });
    } finally {
      await other.close();
    }
  });
});

describe('network errors', () => {
  it('unwraps the real reason from undici when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await firstFailure({ url: `http://127.0.0.1:${port}` });
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect(isMastodonNetworkError(error)).toBe(true);
    expect((error as MastodonNetworkError).reason).toContain('ECONNREFUSED');
  });

  it("keeps a TLS failure's reason on one line: OpenSSL's text ends with a line break, which split the log line before its code", async () => {
    // https:// to a server that speaks plain HTTP: OpenSSL's `wrong version number`.
    const plain = createHttpServer((_request, response) => response.end('not TLS'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const error = (await firstFailure({ url: `https://127.0.0.1:${(plain.address() as { port: number }).port}` })) as MastodonNetworkError;
      expect(error).toBeInstanceOf(MastodonNetworkError);
      expect(error.reason).toMatch(/wrong version number.* \(ERR_SSL_WRONG_VERSION_NUMBER\)$/);
      expect(error.message).not.toMatch(/\n/);
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('reports a connection cut mid-stream as a read failure', async () => {
    server = await createFakeMastodon();
    const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: TOKEN });
    const iterator = client.user({ reconnect: false })[Symbol.asyncIterator]();
    const pending = iterator.next();
    await server.waitForConnection();
    server.dropConnections(undefined, { midFrame: true });
    const error = await pending.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect(error).toMatchObject({ phase: 'read' });
    expect((error as Error).message).toContain('reading');
  });

  it('a server that accepts but never answers fails after connectTimeoutMs, and is retried', async () => {
    const silent = await startSilentServer();
    const url = silent.url;
    try {
      const clock = new VirtualClock();
      const client = createClient({ url, streamingUrl: url, accessToken: TOKEN, clock });
      const once = client.user({ reconnect: false, connectTimeoutMs: 5000 })[Symbol.asyncIterator]().next();
      await clock.fireNext((timer) => timer.delay === 5000);
      const error = await once.catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(MastodonNetworkError);
      expect(error).toMatchObject({ phase: 'connect', reason: 'no response headers within 5000 ms' });

      const reconnecting: number[] = [];
      const retried = client.user({ connectTimeoutMs: 5000, stallTimeoutMs: 0, onReconnecting: ({ attempt }) => reconnecting.push(attempt) });
      const iterator = retried[Symbol.asyncIterator]();
      void iterator.next();
      await clock.fireNext((timer) => timer.delay === 5000);
      await clock.waitForTimer((timer) => timer.delay !== 5000);
      expect(reconnecting).toEqual([1]);
      await iterator.return?.();
    } finally {
      await silent.close();
    }
  });

  it('a clean end with reconnect off ends the loop without an error', async () => {
    server = await createFakeMastodon();
    const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: TOKEN });
    const iterator = client.user({ reconnect: false })[Symbol.asyncIterator]();
    const pending = iterator.next();
    await server.waitForConnection();
    server.endStreams();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });
});

describe('type guards work across realms', () => {
  it('recognises an error from another copy of the class by its brand', () => {
    const foreign = Object.assign(new Error('x'), { code: 'API', status: 500 });
    Object.defineProperty(foreign, Symbol.for('tootstream.error'), { value: true });
    expect(isTootstreamError(foreign)).toBe(true);
    expect(isMastodonApiError(foreign)).toBe(true);
    expect(isMastodonApiError(new Error('plain'))).toBe(false);
    expect(isTootstreamError(null)).toBe(false);
  });
});
