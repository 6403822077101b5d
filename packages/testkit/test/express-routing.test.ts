import { describe, expect, it } from 'vitest';
import type { FakeMastodon, FakeMastodonOptions } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';
import { getRequest, maskVariable, rawExchange } from './raw-http.js';

// The 4.5.7 streaming server's health, metrics and favicon routes are Express `app.get` routes,
// which Express 5 matches case-insensitively and with one optional trailing slash (router 2's
// defaults, path-to-regexp 8's `(?:\/$)?`). The stream route matches the same way, but the
// `authenticationMiddleware` before it derives the channel from `req.path` with an exact
// `switch`, so a stream path in other letters or with a trailing slash names no channel.

const perTest = useFakeServer();

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0, ...options });
}

async function answer(s: FakeMastodon, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<string> {
  return maskVariable(await rawExchange(s.port, getRequest(path, headers, method)));
}

const UNKNOWN_CHANNEL = /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\{"error":"Unknown channel requested"\}/;

describe('Express route matching', () => {
  it('serves health, metrics and the favicon 404 in any letter case and with one trailing slash', async () => {
    const s = await start();
    const cases: Array<[string, string[]]> = [
      ['/api/v1/streaming/health', ['/api/v1/streaming/health/', '/API/V1/STREAMING/HEALTH', '/Api/v1/Streaming/Health/']],
      ['/metrics', ['/metrics/', '/METRICS', '/Metrics/?x=1']],
      ['/favicon.ico', ['/favicon.ico/', '/FAVICON.ICO']],
    ];
    for (const [route, variants] of cases) {
      const expected = await answer(s, route);
      for (const variant of variants) {
        expect(await answer(s, variant), variant).toBe(expected);
        expect(await answer(s, variant, 'HEAD'), `HEAD ${variant}`).toBe(await answer(s, route, 'HEAD'));
      }
    }
    expect(await answer(s, '/API/V1/STREAMING/HEALTH/')).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n2\r\nOK\r\n0\r\n\r\n$/);
  });

  it('allows only one trailing slash, and only after the whole route', async () => {
    const s = await start();
    for (const path of ['/api/v1/streaming/health//', '/api/v1/streaming/healt', '/api/v1/streaming/health/x', '/metrics//', '/metricsx']) {
      expect(await answer(s, path), path).toMatch(UNKNOWN_CHANNEL);
    }
  });

  it('refuses stream paths in other letters or with a trailing slash as unknown channels', async () => {
    const s = await start();
    const alice = { Authorization: 'Bearer peer-test-token' };
    for (const path of ['/API/V1/STREAMING/USER', '/api/v1/streaming/User', '/api/v1/streaming/user/', '/api/v1/streaming/public/local/']) {
      expect(await answer(s, path, 'GET', alice), path).toMatch(UNKNOWN_CHANNEL);
    }
    expect(s.totalConnections).toBe(0);
  });

  it('matches below a streamingPath prefix, which the proxy in front routes as it is written', async () => {
    const s = await start({ streamingPath: '/stream' });
    expect(await answer(s, '/stream/API/V1/STREAMING/HEALTH/')).toBe(await answer(s, '/stream/api/v1/streaming/health'));
    expect(await answer(s, '/stream/Metrics/')).toBe(await answer(s, '/stream/metrics'));
  });
});
