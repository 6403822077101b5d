import { describe, expect, it } from 'vitest';
import { useFakePerTest } from './fake-per-test.js';

// The shared per-test setup takes options twice: once for every test of a file, and per `start`
// for one test. A test author reaches for the second when a single case needs its own viewers.

const { start } = useFakePerTest({ viewers: { '1001': { mutes: ['1002'] } }, lists: { '42': '1001' } });

describe('useFakePerTest().start(options)', () => {
  it('applies the options given to start over the shared ones, key by key', async () => {
    const s = await start({ viewers: { '1001': { blocks: ['1003'] } } });
    expect(s.viewer('1001').settings).toMatchObject({ blocks: ['1003'], mutes: [] });
    // Keys start was not given keep the shared value: list 42 is still alice's.
    const response = await fetch(`${s.url}/api/v1/timelines/list/42`, { headers: { Authorization: 'Bearer peer-test-token' } });
    expect(response.status).toBe(200);
  });
});
