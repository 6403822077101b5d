// A client discovers its streaming base once, for every stream waiting on it;
// the request is cancelled when every waiting stream has given up, so an
// aborted stream leaves no socket or timer behind to keep the process alive.
import { Socket } from 'node:net';
import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { take, until } from './support/collect.js';

const TOKEN = 'peer-test-token';
let server: FakeMastodon | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The client's sockets to `port` that keep this process alive (Node lists only referenced handles). */
function clientSocketsTo(port: number): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((handle) => handle instanceof Socket && !handle.destroyed && handle.remotePort === port).length;
}

const instanceRequests = (fake: FakeMastodon) => fake.requests.filter((request) => request.path === '/api/v2/instance').length;

/** Runs a stream until it ends (an abort ends it quietly). */
async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream);
}

describe('shared discovery', () => {
  it('one request serves every waiting stream; a stream that aborts leaves it running for the others', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    fake.failNext({ status: 200, paths: 'rest', delayMs: 300, body: { version: '4.5.7', configuration: { urls: { streaming: fake.url } } } });
    const client = createClient({ url: fake.url, accessToken: TOKEN });
    const leaving = new AbortController();
    const first = drain(client.public({}, { signal: leaving.signal }));
    const second = client.public()[Symbol.asyncIterator]();
    try {
      const next = take(second, 1);
      await until(() => instanceRequests(fake) === 1);
      leaving.abort();
      await first;
      await fake.waitForConnection();
      const status = fake.postStatus({}, { account: 'alice' });
      expect((await next)[0]).toMatchObject({ payload: { id: status.id } });
      expect(instanceRequests(fake)).toBe(1);
    } finally {
      await second.return?.();
    }
  });

  it('once every waiting stream has aborted, the request is cancelled, and the next stream asks again', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const port = Number(new URL(fake.url).port);
    fake.failNext({ status: 200, paths: 'rest', delayMs: 5_000 });
    const client = createClient({ url: fake.url, accessToken: TOKEN });
    const controllers = [new AbortController(), new AbortController()];
    const streams = controllers.map((controller) => drain(client.user({ signal: controller.signal })));
    await until(() => instanceRequests(fake) === 1);
    for (const controller of controllers) controller.abort();
    await Promise.all(streams);
    await until(() => clientSocketsTo(port) === 0, 1_000, 'the discovery socket to close');

    const iterator = client.user()[Symbol.asyncIterator]();
    try {
      const next = take(iterator, 1);
      await fake.waitForConnection();
      expect(instanceRequests(fake)).toBe(2);
      const status = fake.postStatus({}, { account: 'bob' });
      expect((await next)[0]).toMatchObject({ payload: { id: status.id } });
    } finally {
      await iterator.return?.();
    }
  });

  it('streamingBaseUrl(), which has no signal, keeps the discovery running to its end', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    fake.failNext({ status: 200, paths: 'rest', delayMs: 300, body: { version: '4.5.7', configuration: { urls: { streaming: 'https://stream.example' } } } });
    const client = createClient({ url: fake.url, accessToken: TOKEN });
    const controller = new AbortController();
    const stream = drain(client.user({ signal: controller.signal }));
    await until(() => instanceRequests(fake) === 1);
    const base = client.streamingBaseUrl();
    // Its call joins once the REST chunk's promise has resolved, a few ticks from now.
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await stream;
    await expect(base).resolves.toBe('https://stream.example');
    expect(instanceRequests(fake)).toBe(1);
  });
});

describe('discoveredInstance()', () => {
  it('is the document discovery read, without another request, until clearDiscoveryCache()', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const client = createClient({ url: fake.url, accessToken: TOKEN });
    expect(client.discoveredInstance()).toBeUndefined();
    await client.streamingBaseUrl();
    expect(client.discoveredInstance()).toMatchObject({ version: expect.stringMatching(/^4\./), configuration: { urls: { streaming: expect.any(String) } } });
    expect(instanceRequests(fake)).toBe(1);
    client.clearDiscoveryCache();
    expect(client.discoveredInstance()).toBeUndefined();
    await client.streamingBaseUrl();
    expect(client.discoveredInstance()?.version).toMatch(/^4\./);
    expect(instanceRequests(fake)).toBe(2);
  });

  it("is v1's document when v2 is missing", async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0, instanceV2: false });
    const client = createClient({ url: server.url, accessToken: TOKEN });
    await client.streamingBaseUrl();
    expect(client.discoveredInstance()).toMatchObject({ uri: expect.any(String), urls: { streaming_api: expect.any(String) } });
  });

  it('is undefined when the instance sent no document (its API base is only a guess) and with streamingUrl given', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    fake.failNext({ status: 503, paths: 'rest', times: 3 });
    const guessing = createClient({ url: fake.url, accessToken: TOKEN });
    await guessing.streamingBaseUrl();
    expect(guessing.discoveredInstance()).toBeUndefined();
    const given = createClient({ url: fake.url, accessToken: TOKEN, streamingUrl: fake.url });
    await given.streamingBaseUrl();
    expect(given.discoveredInstance()).toBeUndefined();
  });
});
