import { describe, expect, it } from 'vitest';
import { KNOWN_ACCOUNTS } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';

// failNext({ path, method }): an answer for one endpoint, which the client's other calls leave alone.
const ALICE = { Authorization: 'Bearer peer-test-token' };
const perTest = useFakeServer();

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { ...init, headers: ALICE });
  return { status: response.status, body: await response.text() };
}

describe('failNext aimed at one endpoint', () => {
  it("answers only its path: the client's discovery and catch-up calls before it get the fake's own answers", async () => {
    const s = await perTest.start();
    s.failNext({ path: '/api/v1/accounts/verify_credentials', status: 200, body: KNOWN_ACCOUNTS.alice });
    const instance = await call(`${s.url}/api/v2/instance`);
    expect(instance.status).toBe(200);
    expect(JSON.parse(instance.body)).toHaveProperty('configuration.urls.streaming');
    expect((await call(`${s.url}/api/v1/timelines/home`)).status).toBe(200);
    const me = await call(`${s.url}/api/v1/accounts/verify_credentials?x=1`);
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toEqual(KNOWN_ACCOUNTS.alice);
    // Used up: the route the fake does not serve is Rails' unknown route again.
    expect((await call(`${s.url}/api/v1/accounts/verify_credentials`)).status).toBe(404);
  });

  it('with a method, answers only that method (in any case)', async () => {
    const s = await perTest.start();
    s.failNext({ path: '/api/v1/statuses', method: 'post', status: 500, times: 2 });
    expect((await call(`${s.url}/api/v1/statuses?id[]=1`)).status).toBe(200);
    const refused = await call(`${s.url}/api/v1/statuses`, { method: 'POST', body: new URLSearchParams({ status: 'hi' }) });
    expect(refused).toEqual({ status: 500, body: '{"error":"An unexpected error occurred"}' });
    expect((await call(`${s.url}/api/v1/statuses`, { method: 'POST', body: new URLSearchParams({ status: 'hi' }) })).status).toBe(500);
    expect((await call(`${s.url}/api/v1/statuses`, { method: 'POST', body: new URLSearchParams({ status: 'hi' }) })).status).toBe(200);
  });

  it('aims at a stream path too: one stream is refused while another connects', async () => {
    const s = await perTest.start();
    s.failNext({ path: '/api/v1/streaming/user', status: 401 });
    const open = await fetch(`${s.url}/api/v1/streaming/public`, { headers: ALICE });
    expect(open.status).toBe(200);
    await open.body?.cancel();
    const refused = await call(`${s.url}/api/v1/streaming/user`);
    expect(refused).toEqual({ status: 401, body: '{"error":"Invalid access token"}' });
  });

  it('refuses a path or method that cannot match, at the call', async () => {
    const s = await perTest.start();
    expect(() => s.failNext({ status: 404, path: 'api/v1/accounts/verify_credentials' })).toThrow(
      "FakeMastodon.failNext: path must start with '/' (a path without the query, such as '/api/v1/accounts/verify_credentials'), got 'api/v1/accounts/verify_credentials'",
    );
    expect(() => s.failNext({ status: 404, method: '' })).toThrow("FakeMastodon.failNext: method must be a non-empty string, got ''");
    expect(() => s.failNext({ status: 404, path: 42 as unknown as string })).toThrow('FakeMastodon.failNext: path must be a non-empty string, got 42');
  });
});
