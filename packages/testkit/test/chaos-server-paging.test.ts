import { afterEach, describe, expect, it } from 'vitest';
import { createChaosServer, type ChaosServer } from '@tootstream/testkit';

let chaos: ChaosServer | undefined;
afterEach(async () => {
  await chaos?.close();
  chaos = undefined;
});

/** The paging lines of the chaos server's script (`rest min_id=…: n`, `rest max_id=…: n`) after `requests` GETs of `query`. */
async function pagingScript(query: string, requests: number): Promise<string[]> {
  chaos = await createChaosServer({ seed: 11 });
  for (let request = 0; request < requests; request++) {
    const response = await fetch(`${chaos.url}/api/v1/timelines/public?${query}`, { headers: { Authorization: 'Bearer any' } });
    await response.arrayBuffer();
  }
  return chaos.ledger.script.filter((line) => /^rest (min|max)_id=/.test(line));
}

describe('the chaos server reads a repeated paging parameter by its last value, as Rails does', () => {
  it('min_id', async () => {
    const lines = await pagingScript('min_id=1&min_id=99999999999999999999', 12);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^rest min_id=99999999999999999999( \(ignored\))?: \d+$/);
  });

  it('max_id, without min_id', async () => {
    const lines = await pagingScript('max_id=5&max_id=77', 12);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^rest max_id=77( \(ignored\))?: \d+$/);
  });
});
