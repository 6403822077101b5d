import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { MastodonArgumentError } from '../src/errors.js';
import type { ClientOptions } from '../src/options.js';
import { resolveStreamRequest, STREAM_NAMES } from '../src/stream-names.js';
import { take } from './support/collect.js';

let server: FakeMastodon;
beforeEach(async () => {
  server = await createFakeMastodon();
});
afterEach(async () => {
  await server.close();
});

const TOKEN = 'peer-test-token';

describe('bad arguments are rejected before any request', () => {
  it.each([
    ['a hashtag with a leading #', (client: ReturnType<typeof createClient>) => client.hashtag('#rust')],
    ['an empty hashtag', (client: ReturnType<typeof createClient>) => client.hashtag('')],
    // @ts-expect-error the types refuse both flags (stream-params.test-d.ts); this is the check a JavaScript caller meets
    ['local together with remote', (client: ReturnType<typeof createClient>) => client.public({ local: true, remote: true })],
    ['an empty list id', (client: ReturnType<typeof createClient>) => client.list('')],
    ['an unknown stream name', (client: ReturnType<typeof createClient>) => client.stream('public:everything' as never)],
    // @ts-expect-error the types require the tag (public-api.test-d.ts); this is the check a JavaScript caller meets
    ['a hashtag stream without a tag', (client: ReturnType<typeof createClient>) => client.stream('hashtag')],
    ['a cursor of another stream', (client: ReturnType<typeof createClient>) => client.user({ cursor: { version: 1, stream: 'direct', params: {}, takenAt: 0 } })],
  ])('%s', (_title, open) => {
    const client = createClient({ url: server.url, accessToken: TOKEN });
    expect(() => open(client)).toThrow(MastodonArgumentError);
    expect(server.requests).toHaveLength(0);
  });

  it("a cursor id with a leading zero (it would compare as larger than every real id) is refused; a cursor is not bounded by the client's clock", () => {
    const now = Date.now();
    const client = createClient({ url: server.url, accessToken: TOKEN });
    expect(() => client.userNotification({ cursor: { version: 1, stream: 'user:notification', params: {}, takenAt: now, lastNotificationId: '0999' } })).toThrow('options.cursor holds an id that is not a decimal string');
    // A cursor carries the server's clock: a client whose clock is three days slow (or a test's fixed date) still resumes from it.
    const slow = createClient({ url: server.url, accessToken: TOKEN, clock: { now: () => now - 3 * 86_400_000, setTimeout, clearTimeout } });
    const issuedNow = (BigInt(now) << 16n).toString();
    expect(() => slow.public({}, { cursor: { version: 1, stream: 'public', params: {}, takenAt: now, lastStatusId: issuedNow } })).not.toThrow();
    expect(server.requests).toHaveLength(0);
  });

  it('a cursor of the same stream with another tag or list names both, so the message does not read "hashtag, not hashtag"', () => {
    const client = createClient({ url: server.url, accessToken: TOKEN });
    const takenAt = Date.UTC(2026, 10, 28);
    expect(() => client.hashtag('rust', {}, { cursor: { version: 1, stream: 'hashtag', params: { tag: 'go' }, takenAt } })).toThrow('options.cursor belongs to stream "hashtag go", not "hashtag rust"');
    expect(() => client.list('7', { cursor: { version: 1, stream: 'list', params: { list: '42' }, takenAt } })).toThrow('options.cursor belongs to stream "list 42", not "list 7"');
    expect(() => client.user({ cursor: { version: 1, stream: 'direct', params: {}, takenAt } })).toThrow('options.cursor belongs to stream "direct", not "user"');
  });

  it('a URL that is not absolute', () => {
    expect(() => createClient({ url: 'mastodon.social' })).toThrow(new MastodonArgumentError('url must be an absolute URL (got "mastodon.social")'));
  });

  it('a stream name or URL that is no text is shown by its type: String() of an object without a prototype threw a TypeError', () => {
    const client = createClient({ url: server.url, accessToken: TOKEN });
    expect(() => client.stream({} as never)).toThrow(/^Unknown stream name object; expected one of user, /);
    expect(() => client.stream(Object.create(null) as never)).toThrow(MastodonArgumentError);
    expect(() => client.stream('usr' as never)).toThrow(/^Unknown stream name "usr"; expected one of user, /);
    expect(() => createClient({ url: Object.create(null) })).toThrow(new MastodonArgumentError('url must be an absolute URL (got object)'));
    expect(() => createClient({ url: server.url, streamingUrl: undefined as never })).not.toThrow();
    expect(() => createClient({ url: null as never })).toThrow(new MastodonArgumentError('url must be an absolute URL (got null)'));
    expect(() => createClient({ url: new URL(server.url) as never })).not.toThrow();
    expect(server.requests).toHaveLength(0);
  });

  it('an API base that is a WebSocket URL (REST cannot go there) or another scheme; a streamingUrl may be ws: or wss:', () => {
    expect(() => createClient({ url: 'wss://streaming.mastodon.example' })).toThrow('url must use http or https (got wss:)');
    expect(() => createClient({ url: 'ftp://mastodon.example' })).toThrow('url must use http or https (got ftp:)');
    expect(() => createClient({ url: 'https://mastodon.example', streamingUrl: 'ftp://mastodon.example' })).toThrow('streamingUrl must use http or https (got ftp:)');
    expect(() => createClient({ url: 'https://mastodon.example', streamingUrl: 'wss://streaming.mastodon.example' })).not.toThrow();
  });

  it('an option the client does not have is refused, not dropped: `token` for accessToken was a 401 later, `streamingURL` a silent discovery', () => {
    expect(() => createClient({ url: server.url, ...{ token: TOKEN } })).toThrow(new MastodonArgumentError('token is no client option'));
    expect(() => createClient({ url: server.url, ...{ streamingURL: server.url } })).toThrow(new MastodonArgumentError('streamingURL is no client option'));
    expect(() => createClient({ url: server.url, ...{ access_token: TOKEN } })).toThrow(new MastodonArgumentError('access_token is no client option'));
    // An option set to undefined is left out, as the types promise; a misspelt one is refused all the same.
    expect(() => createClient({ url: server.url, accessToken: undefined, streamingUrl: undefined, streamDefaults: undefined })).not.toThrow();
    expect(() => createClient({ url: server.url, ...{ tokne: undefined } })).toThrow('tokne is no client option');
    // Own names only: a polluted Object.prototype is not the caller's mistake.
    const polluted = Object.prototype as { tokne?: unknown };
    polluted.tokne = 'x';
    try {
      expect(() => createClient({ url: server.url })).not.toThrow();
    } finally {
      delete polluted.tokne;
    }
    // A URL string in the options' place is named for what it lacks, not as fifty unknown options; so are no options.
    expect(() => createClient(server.url as never)).toThrow(new MastodonArgumentError('url must be an absolute URL (got undefined)'));
    expect(() => (createClient as (options?: unknown) => unknown)()).toThrow(new MastodonArgumentError('url must be an absolute URL (got undefined)'));
    expect(() => createClient(null as never)).toThrow(new MastodonArgumentError('url must be an absolute URL (got undefined)'));
    expect(server.requests).toHaveLength(0);
  });

  it('every option a client has is taken', () => {
    const clock = { now: Date.now, setTimeout, clearTimeout };
    const everyOption = {
      url: server.url,
      accessToken: TOKEN,
      streamingUrl: server.url,
      fetch: globalThis.fetch,
      userAgent: 'tootstream-test',
      clock,
      random: Math.random,
      restTimeoutMs: 1000,
      streamDefaults: {},
    } satisfies Required<ClientOptions>;
    expect(() => createClient(everyOption)).not.toThrow();
  });

  it('a fetch that is not a function (a module namespace passed instead of its function) is refused up front, not retried forever as a network error', () => {
    expect(() => createClient({ url: server.url, accessToken: TOKEN, fetch: { default: globalThis.fetch } as never })).toThrow(MastodonArgumentError);
    expect(() => createClient({ url: server.url, fetch: 'fetch' as never })).toThrow('fetch must be a function');
  });
});

describe('requests', () => {
  it('opens the SSE path and query Mastodon serves each stream name at', () => {
    const expected = {
      user: '/api/v1/streaming/user',
      'user:notification': '/api/v1/streaming/user/notification',
      public: '/api/v1/streaming/public',
      'public:local': '/api/v1/streaming/public/local',
      'public:remote': '/api/v1/streaming/public/remote',
      'public:media': '/api/v1/streaming/public?only_media=true',
      'public:local:media': '/api/v1/streaming/public/local?only_media=true',
      'public:remote:media': '/api/v1/streaming/public/remote?only_media=true',
      hashtag: '/api/v1/streaming/hashtag?tag=rust',
      'hashtag:local': '/api/v1/streaming/hashtag/local?tag=rust',
      list: '/api/v1/streaming/list?list=42',
      direct: '/api/v1/streaming/direct',
    };
    for (const name of STREAM_NAMES) {
      const request = resolveStreamRequest(name, name.startsWith('hashtag') ? { tag: 'rust' } : name === 'list' ? { list: '42' } : {});
      expect(request.pathAndQuery, name).toBe(expected[name]);
    }
  });

  it('percent-encodes the tag so it cannot inject parameters, and sends the token only as a header', async () => {
    const client = createClient({ url: server.url, accessToken: TOKEN });
    const iterator = client.hashtag('a&b=c', { local: true })[Symbol.asyncIterator]();
    const pending = iterator.next();
    const connection = await server.waitForConnection();
    expect(connection.url).toBe('/api/v1/streaming/hashtag/local?tag=a%26b%3Dc');
    expect(connection.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(connection.headers.accept).toBe('text/event-stream');
    for (const request of server.requests) expect(request.url).not.toContain(TOKEN);
    await iterator.return?.();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });

  it('percent-encodes a non-ASCII tag as UTF-8 (protocol.md §4.2: tag=caf%C3%A9)', async () => {
    const client = createClient({ url: server.url, accessToken: TOKEN });
    const iterator = client.hashtag('café', { local: true })[Symbol.asyncIterator]();
    void iterator.next();
    const connection = await server.waitForConnection();
    expect(connection.url).toBe('/api/v1/streaming/hashtag/local?tag=caf%C3%A9');
    await iterator.return?.();
  });

  it('sends the streaming host no header beyond Accept and Authorization (protocol.md §5.1: older CORS allow lists)', async () => {
    const client = createClient({ url: server.url, accessToken: TOKEN });
    const iterator = client.user()[Symbol.asyncIterator]();
    void iterator.next();
    const connection = await server.waitForConnection();
    // What the runtime's fetch adds by itself (a browser adds its own, which CORS does not count).
    const runtime = new Set(['host', 'connection', 'user-agent', 'accept-encoding', 'accept-language', 'sec-fetch-mode']);
    expect(Object.keys(connection.headers).filter((name) => !runtime.has(name)).sort()).toEqual(['accept', 'authorization']);
    expect(connection.headers.accept).toBe('text/event-stream');
    await iterator.return?.();
  });

  it('refuses to put the token into a URL when asked to: `tokenInQuery` is no option (it existed once)', () => {
    expect(() => createClient({ url: server.url, accessToken: TOKEN, ...{ tokenInQuery: true } })).toThrow(new MastodonArgumentError('tokenInQuery is no client option'));
  });

  it('asks for only_media on media streams and keeps the label Mastodon would use', async () => {
    const client = createClient({ url: server.url, accessToken: TOKEN });
    const iterator = client.public({ remote: true, onlyMedia: true })[Symbol.asyncIterator]();
    const first = take(iterator, 1);
    const connection = await server.waitForConnection();
    expect(connection.url).toBe('/api/v1/streaming/public/remote?only_media=true');
    expect(connection.stream).toBe('public:remote:media');
    server.postStatus({}, { account: 'carol', media: 1 });
    const [event] = await first;
    expect(event?.stream).toEqual(['public:remote:media']);
    await iterator.return?.();
  });

  it('is lazy: nothing is requested until the first iteration', async () => {
    const client = createClient({ url: server.url, accessToken: TOKEN });
    client.user();
    client.public();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(0);
  });
});

describe('discovery and health', () => {
  it('uses v2 configuration.urls.streaming, mapping ws to http, and caches it', async () => {
    const client = createClient({ url: server.url, accessToken: TOKEN });
    expect(await client.streamingBaseUrl()).toBe(server.url);
    expect(await client.streamingBaseUrl()).toBe(server.url);
    expect(server.requests.filter((request) => request.path === '/api/v2/instance')).toHaveLength(1);
  });

  it('falls back to v1 urls.streaming_api, keeping a path', async () => {
    const other = await createFakeMastodon({ instanceV2: false, streamingPath: '/stream', advertisedStreamingUrl: 'wss://streaming.example/stream/' });
    try {
      const client = createClient({ url: other.url });
      expect(await client.streamingBaseUrl()).toBe('https://streaming.example/stream');
      expect(other.requests.map((request) => request.path)).toEqual(['/api/v2/instance', '/api/v1/instance']);
    } finally {
      await other.close();
    }
  });

  it.each([
    ['ws://streaming.example/stream', 'https://streaming.example/stream'],
    ['http://streaming.example', 'https://streaming.example'],
    ['wss://streaming.example', 'https://streaming.example'],
  ])('an https instance that advertises %s streams from %s: the token never leaves TLS', async (advertised, expected) => {
    const other = await createFakeMastodon({ advertisedStreamingUrl: advertised });
    try {
      // The instance is reached as https://instance.example; the requests go to the fake over loopback, as a local proxy would send them.
      const viaFake = (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        return fetch(new Request(request.url.replace('https://instance.example', other.url), request));
      };
      expect(await createClient({ url: 'https://instance.example', fetch: viaFake }).streamingBaseUrl()).toBe(expected);
      expect(other.requests.map((request) => request.path)).toEqual(['/api/v2/instance']);
    } finally {
      await other.close();
    }
  });

  it('falls back to the API base when the instance endpoints fail; a 4xx for /api/v1/streaming (same host) is an answer, kept', async () => {
    server.failNext({ status: 500, paths: 'rest', times: 2 });
    const client = createClient({ url: server.url });
    expect(await client.streamingBaseUrl()).toBe(server.url);
    expect(await client.streamingBaseUrl()).toBe(server.url);
    expect(server.requests.map((request) => [request.path, request.status])).toEqual([
      ['/api/v2/instance', 500],
      ['/api/v1/instance', 500],
      ['/api/v1/streaming', 400], // the streaming server itself: no stream named
    ]);
  });

  it('an instance document that a redirect brought from another origin is not trusted: the token is not sent where it points', async () => {
    const elsewhere = await createFakeMastodon({ advertisedStreamingUrl: 'ws://127.0.0.1:9/elsewhere' });
    try {
      // fetch drops Authorization on a cross-origin hop, but the document served there would name where the token goes next.
      server.failNext({ status: 301, body: '', paths: 'rest', times: 2, headers: { Location: `${elsewhere.url}/api/v2/instance` } });
      const client = createClient({ url: server.url, accessToken: TOKEN });
      expect(await client.streamingBaseUrl()).toBe(server.url);
      expect(client.discoveredInstance()).toBeUndefined();
      expect(elsewhere.requests.map((request) => request.path)).toEqual(['/api/v2/instance', '/api/v2/instance']);
    } finally {
      await elsewhere.close();
    }
  });

  it('a guess made while the instance does not answer is not kept: the next call asks again', async () => {
    const streaming = await createFakeMastodon();
    const api = await createFakeMastodon({ streamingPath: '/streaming', advertisedStreamingUrl: streaming.url.replace('http', 'ws') });
    try {
      // The web app is down behind a working proxy: its 502 is taken as unreachable, and nothing more is asked.
      api.failNext({ status: 502, paths: 'all', times: 3 });
      const client = createClient({ url: api.url });
      expect(await client.streamingBaseUrl()).toBe(api.url);
      expect(await client.streamingBaseUrl()).toBe(api.url);
      expect(await client.streamingBaseUrl()).toBe(api.url);
      expect(await client.streamingBaseUrl()).toBe(streaming.url);
      expect(await client.streamingBaseUrl()).toBe(streaming.url);
      expect(api.requests.map((request) => request.path)).toEqual(['/api/v2/instance', '/api/v2/instance', '/api/v2/instance', '/api/v2/instance']);
    } finally {
      await api.close();
      await streaming.close();
    }
  });

  it.each([429, 502, 503, 504])('an instance answered for by a proxy with %i (down, or limiting) costs one request per discovery, not three; a 500 asks on', async (status) => {
    server.failNext({ status, paths: 'rest', times: 1 });
    const client = createClient({ url: server.url });
    expect(await client.streamingBaseUrl()).toBe(server.url);
    expect(server.requests.map((request) => [request.path, request.status])).toEqual([['/api/v2/instance', status]]);
    // Not kept: the next discovery asks again, and the instance answers.
    await client.streamingBaseUrl();
    expect(server.requests.map((request) => request.path)).toEqual(['/api/v2/instance', '/api/v2/instance']);
  });

  it("a 429 for the redirect probe is no answer: the guess is not kept, so a streaming host the instance names later is found", async () => {
    // No instance document (an old or stripped-down instance), and the probe of /api/v1/streaming rate limited.
    server.failNext({ status: 404, paths: 'rest', times: 2 });
    server.failNext({ status: 429, paths: 'all', times: 1 });
    const client = createClient({ url: server.url });
    expect(await client.streamingBaseUrl()).toBe(server.url);
    expect(server.requests.map((request) => [request.path, request.status])).toEqual([
      ['/api/v2/instance', 404],
      ['/api/v1/instance', 404],
      ['/api/v1/streaming', 429],
    ]);
    await client.streamingBaseUrl();
    expect(server.requests.filter((request) => request.path === '/api/v2/instance')).toHaveLength(2);
  });

  it('an unreachable instance costs one request per discovery, not three, and is asked again next time', async () => {
    const asked: string[] = [];
    const unreachable: typeof fetch = async (input) => {
      asked.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      throw new TypeError('fetch failed');
    };
    const client = createClient({ url: 'http://instance.invalid', fetch: unreachable });
    expect(await client.streamingBaseUrl()).toBe('http://instance.invalid');
    expect(asked).toEqual(['/api/v2/instance']);
    expect(await client.streamingBaseUrl()).toBe('http://instance.invalid');
    expect(asked).toEqual(['/api/v2/instance', '/api/v2/instance']);
  });

  it('a 200 JSON body that is no instance document (a maintenance page, a proxy\'s error) is no answer: the guess is not kept', async () => {
    const streaming = await createFakeMastodon();
    const api = await createFakeMastodon({ streamingPath: '/streaming', advertisedStreamingUrl: streaming.url.replace('http', 'ws') });
    try {
      api.failNext({ status: 200, body: { status: 'maintenance', retry_after: 60 }, paths: 'rest', times: 2 });
      api.failNext({ status: 502, paths: 'all', times: 1 });
      const client = createClient({ url: api.url });
      expect(await client.streamingBaseUrl()).toBe(api.url);
      expect(await client.streamingBaseUrl()).toBe(streaming.url);
      expect(api.requests.map((request) => request.path)).toEqual(['/api/v2/instance', '/api/v1/instance', '/api/v1/streaming', '/api/v2/instance']);
    } finally {
      await api.close();
      await streaming.close();
    }
  });

  it('an instance that answers without advertising a streaming URL is an answer: the API base is kept', async () => {
    const other = await createFakeMastodon({ instanceV2: false, advertisedStreamingUrl: 'not a url' });
    try {
      const client = createClient({ url: other.url });
      expect(await client.streamingBaseUrl()).toBe(other.url);
      expect(await client.streamingBaseUrl()).toBe(other.url);
      expect(other.requests.filter((request) => request.path === '/api/v1/instance')).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('without instance endpoints, asks /api/v1/streaming and takes the origin of its redirect, without following it (protocol.md §4.1 step 3)', async () => {
    const streaming = await createFakeMastodon();
    // A streaming prefix: the proxy sends /api/v1/streaming to Rails, not to the streaming process.
    const api = await createFakeMastodon({ streamingPath: '/streaming', advertisedStreamingUrl: streaming.url.replace('http', 'ws') });
    try {
      api.failNext({ status: 500, paths: 'rest', times: 2 });
      const client = createClient({ url: api.url, accessToken: TOKEN });
      expect(await client.streamingBaseUrl()).toBe(streaming.url);
      expect(api.requests.map((request) => request.path)).toEqual(['/api/v2/instance', '/api/v1/instance', '/api/v1/streaming']);
      expect(streaming.requests).toEqual([]);
      const iterator = client.user()[Symbol.asyncIterator]();
      const first = iterator.next();
      await streaming.waitForConnection();
      streaming.postStatus({}, { account: 'alice' });
      expect((await first).value).toMatchObject({ event: 'update' });
      await iterator.return?.();
    } finally {
      await api.close();
      await streaming.close();
    }
  });

  it('the streamingUrl option overrides discovery', async () => {
    const client = createClient({ url: 'https://api.example', streamingUrl: `${server.url.replace('http', 'ws')}/` });
    expect(await client.streamingBaseUrl()).toBe(server.url);
    expect(await client.health()).toBe(true);
    expect(server.requests.map((request) => request.path)).toEqual(['/api/v1/streaming/health']);
  });

  it('health() is true when the streaming server is up, false when it is not', async () => {
    const client = createClient({ url: server.url, streamingUrl: server.url });
    expect(await client.health()).toBe(true);
    server.setHealthy(false);
    expect(await client.health()).toBe(false);
    const dead = createClient({ url: 'http://127.0.0.1:9', streamingUrl: 'http://127.0.0.1:9' });
    expect(await dead.health()).toBe(false);
  });
});
