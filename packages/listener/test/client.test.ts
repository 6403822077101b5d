import { afterEach, describe, expect, it } from 'vitest';
import {
  Mastodon,
  MastodonIllegalArgumentError,
  MastodonVersionError,
  MastodonWarning,
} from '@tootstream/listener';
import { Cleanup, clientFor, Recorder, TOKEN, waitFor } from './support/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

describe('Mastodon client', () => {
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
