import { describe, expect, it } from 'vitest';
import { type StatusJson } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// A deleted status takes its boosts with it, as 4.5's RemoveStatusService does
// (app/services/remove_status_service.rb:41-43, :109-117): each boost is removed by its own run,
// whose `delete` reaches the homes that had the boost, after the original's own deletes.

const { start, current, openStream } = useFakePerTest();

async function call(method: string, path: string, token: string, body?: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${current().url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const homeIds = async (token: string): Promise<string[]> => {
  const response = await fetch(`${current().url}/api/v1/timelines/home`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await response.json()) as StatusJson[]).map((status) => status.id);
};

describe('deleting a boosted status', () => {
  it('DELETE /api/v1/statuses/:id removes its boosts: their deletes follow the original’s on the homes, and REST forgets them', async () => {
    const s = await start();
    // Only in alice's home: bob's, holding it, would take no boost of it (FeedManager's REBLOG_FALLOFF).
    const id = s.postStatus({ content: '<p>boost me</p>' }, { account: 'alice', homeOf: ['1001'] }).id;
    const boostId = String((await call('POST', `/api/v1/statuses/${id}/reblog`, 'peer-test-token-bob')).body['id']);
    expect(await homeIds('peer-test-token-bob')).toEqual([boostId]);
    const alicesHome = await openStream(s, 'user', 'peer-test-token');
    const bobsHome = await openStream(s, 'user', 'peer-test-token-bob');
    const publicReader = await openStream(s, 'public', 'peer-test-token-bob');
    await s.waitForConnectionCount(3);
    expect((await call('DELETE', `/api/v1/statuses/${id}`, 'peer-test-token')).status).toBe(200);
    expect(await eventsBeforeMarker(s, alicesHome, { stream: 'user', accountId: '1001' })).toEqual([{ event: 'delete', data: id }]);
    expect(await eventsBeforeMarker(s, bobsHome, { stream: 'user', accountId: '1002' })).toEqual([{ event: 'delete', data: boostId }]);
    // A boost reaches no public stream, so neither does its delete.
    expect(await eventsBeforeMarker(s, publicReader, 'public')).toEqual([{ event: 'delete', data: id }]);
    expect((await fetch(`${s.url}/api/v1/statuses/${boostId}`)).status).toBe(404);
    expect(await homeIds('peer-test-token-bob')).toEqual([]);
    // Bob's boost is gone, so there is nothing to unboost (and the status is gone too).
    expect((await call('POST', `/api/v1/statuses/${id}/unreblog`, 'peer-test-token-bob')).status).toBe(404);
  });

  it('deleteStatus removes every stored boost, in id order, each delete only where that boost went', async () => {
    const s = await start();
    const original = s.postStatus({ content: '<p>from afar</p>' }, { account: 'carol', homeOf: [] });
    const alicesBoost = s.postStatus({ reblog: original }, { account: 'alice', homeOf: ['1002'] });
    const bobsBoost = s.postStatus({ reblog: original }, { account: 'bob', homeOf: ['1001'] });
    const bobsHome = await openStream(s, 'user', 'peer-test-token-bob');
    const alicesHome = await openStream(s, 'user', 'peer-test-token');
    await s.waitForConnectionCount(2);
    expect(s.deleteStatus(original.id)).toBe(true);
    expect(await eventsBeforeMarker(s, bobsHome, { stream: 'user', accountId: '1002' })).toEqual([{ event: 'delete', data: alicesBoost.id }]);
    expect(await eventsBeforeMarker(s, alicesHome, { stream: 'user', accountId: '1001' })).toEqual([{ event: 'delete', data: bobsBoost.id }]);
    expect(s.deleteStatus(alicesBoost.id)).toBe(false);
    expect(s.deleteStatus(bobsBoost.id)).toBe(false);
  });

  it('deleting a boost leaves the boosted status and its other boosts', async () => {
    const s = await start();
    const original = s.postStatus({}, { account: 'carol', homeOf: [] });
    const alicesBoost = s.postStatus({ reblog: original }, { account: 'alice', homeOf: ['1001'] });
    const bobsBoost = s.postStatus({ reblog: original }, { account: 'bob', homeOf: ['1002'] });
    const bobsHome = await openStream(s, 'user', 'peer-test-token-bob');
    await s.waitForConnection();
    expect((await call('DELETE', `/api/v1/statuses/${alicesBoost.id}`, 'peer-test-token')).status).toBe(200);
    expect(await eventsBeforeMarker(s, bobsHome, { stream: 'user', accountId: '1002' })).toEqual([]);
    expect(await homeIds('peer-test-token-bob')).toEqual([bobsBoost.id]);
    expect((await fetch(`${s.url}/api/v1/statuses/${original.id}`)).status).toBe(200);
  });
});
