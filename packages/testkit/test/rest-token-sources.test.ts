import { describe, expect, it } from 'vitest';
import { useFakeServer } from './fake-per-test.js';

// Doorkeeper::OAuth::Token with Doorkeeper's default access_token_methods, which Mastodon's
// config/initializers/doorkeeper.rb leaves commented out: from_bearer_authorization (/^Bearer /i),
// then from_access_token_param, then from_bearer_param, the first that is not blank. The
// streaming server differs (an exact `Bearer `, any other header verbatim): see streaming.test.ts.

const perTest = useFakeServer();

async function homeStatus(path: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${perTest.current().url}${path}`, { headers });
  await response.arrayBuffer();
  return response.status;
}

describe('REST token sources (Doorkeeper)', () => {
  it('takes a Bearer prefix in any letter case', async () => {
    await perTest.start();
    expect(await homeStatus('/api/v1/timelines/home', { Authorization: 'bearer peer-test-token' })).toBe(200);
    expect(await homeStatus('/api/v1/timelines/home', { Authorization: 'BEARER peer-test-token' })).toBe(200);
  });

  it('reads another Authorization scheme as no token, so the query’s access_token or bearer_token counts', async () => {
    await perTest.start();
    expect(await homeStatus('/api/v1/timelines/home', { Authorization: 'peer-test-token' })).toBe(401);
    expect(await homeStatus('/api/v1/timelines/home?access_token=peer-test-token', { Authorization: 'Basic eDp5' })).toBe(200);
    expect(await homeStatus('/api/v1/timelines/home?bearer_token=peer-test-token')).toBe(200);
    expect(await homeStatus('/api/v1/timelines/home?access_token=%20&bearer_token=peer-test-token')).toBe(200);
  });
});
