import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type MastodonClient } from '../src/client.js';
import { MastodonApiError, type TootstreamError } from '../src/errors.js';
import { ids, take } from './support/collect.js';
import { VirtualClock, VIRTUAL_CLOCK_DEFAULTS } from './support/virtual-clock.js';

// protocol.md §6: servers before 4.2 worded their refusals differently ("Error: Invalid access
// token", a foreign list as 404 "Not found"). The client must decide by status alone, so each
// refusal below stays fatal with reconnecting on, and the text only travels as serverMessage.

const TOKEN = 'peer-test-token';
let server: FakeMastodon | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(token = TOKEN): Promise<{ server: FakeMastodon; clock: VirtualClock; client: MastodonClient }> {
  server = await createFakeMastodon({ heartbeatIntervalMs: 0, streamingErrorTexts: 'pre-4.2' });
  const clock = new VirtualClock();
  const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: token, clock, random: () => 0.5, streamDefaults: VIRTUAL_CLOCK_DEFAULTS });
  return { server, clock, client };
}

function streamRequests(s: FakeMastodon): number {
  return s.requests.filter((request) => request.path.startsWith('/api/v1/streaming/')).length;
}

describe('a pre-4.2 server: refusals are classified by status, not text', () => {
  it.each([
    ['missing token', '', 401, 'Error: Missing access token'],
    ['invalid token', 'nope', 401, 'Error: Invalid access token'],
    ['revoked token', 'peer-test-token-revoked', 401, 'Error: Invalid access token'],
    ['token without read scope', 'peer-test-token-writeonly', 401, 'Error: Access token does not cover required scopes'],
  ])('%s: one request, then MastodonApiError %i with the old text (reconnect on)', async (_, token, status, serverMessage) => {
    const { server, clock, client } = await setup(token);
    const error = await client.user()[Symbol.asyncIterator]().next().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(MastodonApiError);
    expect(error).toMatchObject({ code: 'API', status, serverMessage });
    expect(clock.pending).toHaveLength(0);
    expect(streamRequests(server)).toBe(1);
  });

  it('the same with reconnect off', async () => {
    const { client } = await setup('nope');
    const once = (async () => {
      for await (const _ of client.user({ reconnect: false })) break;
    })();
    await expect(once).rejects.toMatchObject({ status: 401, serverMessage: 'Error: Invalid access token' });
  });

  it("another account's list: 404 Not found, fatal", async () => {
    const { server, clock, client } = await setup();
    const error = await client.list('43')[Symbol.asyncIterator]().next().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(MastodonApiError);
    expect(error).toMatchObject({ status: 404, serverMessage: 'Not found' });
    expect(clock.pending).toHaveLength(0);
    expect(streamRequests(server)).toBe(1);
  });

  it('an unknown stream path: 404 Not found, fatal', async () => {
    const { server, clock } = await setup();
    const client = createClient({ url: server.url, streamingUrl: `${server.url}/nope`, accessToken: TOKEN, clock });
    await expect(client.user()[Symbol.asyncIterator]().next()).rejects.toMatchObject({ status: 404, serverMessage: 'Not found' });
    expect(clock.pending).toHaveLength(0);
  });

  it('a 500 is still retried, and the stream then delivers', async () => {
    const { server, clock, client } = await setup();
    server.failNext({ status: 500 });
    const reconnecting: TootstreamError[] = [];
    const iterator = client.user({ stallTimeoutMs: 0, onReconnecting: ({ error }) => reconnecting.push(error) })[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    await clock.fireNext();
    await server.waitForConnection();
    const status = server.postStatus({}, { account: 'alice' });
    expect(ids(await firstEvent)).toEqual([status.id]);
    expect(reconnecting).toHaveLength(1);
    expect(reconnecting[0]).toMatchObject({ status: 500, serverMessage: 'An unexpected error occurred' });
    expect(streamRequests(server)).toBe(2);
    await iterator.return?.();
  });
});
