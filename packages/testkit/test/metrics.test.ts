import { describe, expect, it } from 'vitest';
import type { FakeMastodon, FakeMastodonOptions } from '@tootstream/testkit';
import { readFixtureText } from './fixtures.js';
import { StreamReader } from './sse-client.js';
import { connectWebSocket, settle, type RawWebSocket } from './ws-client.js';
import { useFakeServer } from './fake-per-test.js';

const perTest = useFakeServer<RawWebSocket | StreamReader>();

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start({ webSocketPingIntervalMs: 0, ...options });
}

async function metrics(s: FakeMastodon, path = '/metrics'): Promise<string> {
  const response = await fetch(`${s.url}${path}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return response.text();
}

/** The capture's scenario: one WebSocket on public (from the URL) and hashtag `test`. */
async function sampleScenario(s: FakeMastodon) {
  const opened = await connectWebSocket(s, '/api/v1/streaming?stream=public&access_token=peer-test-token', {});
  perTest.track(opened.ws);
  await settle(s, opened.ws, opened.session, { type: 'subscribe', stream: 'hashtag', tag: 'test' });
  return opened;
}

describe('GET /metrics (metrics-sample.txt)', () => {
  const sample = readFixtureText('metrics-sample.txt').trim().split('\n');

  it('gives the sample’s client, channel and subscription lines for the capture’s scenario, without a token', async () => {
    const s = await start();
    await sampleScenario(s);
    const lines = (await metrics(s)).trim().split('\n');
    const structural = sample.filter((line) => !/_total/.test(line));
    expect(structural).toHaveLength(5);
    for (const line of structural) expect(lines).toContain(line);
    expect(lines.filter((line) => line.startsWith('connected_clients'))).toEqual(['connected_clients{type="websocket"} 1', 'connected_clients{type="eventsource"} 0']);
    // The counters share the sample's names and labels.
    const names = (text: string[]) => text.map((line) => line.replace(/ \d+$/, ''));
    expect(names(lines)).toEqual(expect.arrayContaining(names(sample)));
  });

  it('counts events sent per transport and messages per internal channel that had a listener', async () => {
    const s = await start();
    const { ws } = await sampleScenario(s);
    const sse = await StreamReader.open(`${s.url}/api/v1/streaming/user`);
    perTest.track(sse);
    await s.waitForConnection();
    s.postStatus({}, { tags: ['test'] }); // timeline:public, timeline:hashtag:test, timeline:1001 (and 1002's home, not listened to)
    s.notify('1002', { type: 'follow' }); // nobody listens: not received (a mention would post to public)
    await ws.waitForTexts(2);
    await sse.untilEvents(1);
    const lines = (await metrics(s)).trim().split('\n');
    expect(lines).toEqual([
      'connected_clients{type="websocket"} 1',
      'connected_channels{type="websocket",channel="system"} 2',
      'connected_channels{type="websocket",channel="public"} 1',
      'connected_channels{type="websocket",channel="hashtag"} 1',
      'connected_clients{type="eventsource"} 1',
      'connected_channels{type="eventsource",channel="system"} 2',
      'connected_channels{type="eventsource",channel="user"} 1',
      // token 7's and alice's system channels are shared by both connections
      'redis_subscriptions 6',
      'redis_messages_received_total 3',
      'messages_sent_total{type="websocket"} 2',
      'messages_sent_total{type="eventsource"} 1',
    ]);
  });

  it('is served under streamingPath and answers HEAD', async () => {
    const s = await start({ streamingPath: '/streaming-host' });
    expect(await metrics(s, '/streaming-host/metrics')).toContain('redis_subscriptions 0\n');
    const head = await fetch(`${s.url}/streaming-host/metrics`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });
});
