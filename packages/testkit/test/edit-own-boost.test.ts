import { describe, expect, it } from 'vitest';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// PUT /api/v1/statuses/:id on one's own boost: 4.5 does not refuse it. StatusPolicy#update? asks
// only for ownership (app/policies/status_policy.rb:41-43), a boost needs no text
// (app/models/status.rb:105), and UpdateStatusService saves the boost's own fields; its
// DistributionWorker then finds no feed that takes the boost again (FeedManager#add_to_feed with aggregate_reblogs,
// app/lib/feed_manager.rb:540-561) and no public stream that takes boosts, so nothing is streamed.

const { start, current, openStream } = useFakePerTest();

async function request(method: string, path: string, token: string, body?: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${current().url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('PUT /api/v1/statuses/:id on one’s own boost', () => {
  it('edits the boost’s own fields, keeps what it boosts, and streams nothing', async () => {
    const s = await start();
    const original = s.postStatus({ content: '<p>original</p>' }, { account: 'alice' });
    const boost = await request('POST', `/api/v1/statuses/${original.id}/reblog`, 'peer-test-token-bob');
    const boostId = String(boost.body['id']);
    expect(boost.body).toMatchObject({ content: '', language: null, edited_at: null });
    const bobsHome = await openStream(s, 'user', 'peer-test-token-bob');
    const alicesHome = await openStream(s, 'user', 'peer-test-token');
    const publicReader = await openStream(s, 'public', 'peer-test-token');
    await s.waitForConnectionCount(3);
    const edited = await request('PUT', `/api/v1/statuses/${boostId}`, 'peer-test-token-bob', { status: 'my own words', spoiler_text: 'cw' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: boostId, content: '<p>my own words</p>', spoiler_text: 'cw', sensitive: true, language: 'en', reblog: { id: original.id, content: '<p>original</p>' } });
    expect(edited.body['edited_at']).toEqual(expect.any(String));
    expect(await eventsBeforeMarker(s, bobsHome, { stream: 'user', accountId: '1002' })).toEqual([]);
    expect(await eventsBeforeMarker(s, alicesHome, { stream: 'user', accountId: '1001' })).toEqual([]);
    expect(await eventsBeforeMarker(s, publicReader, 'public')).toEqual([]);
    expect(await request('GET', `/api/v1/statuses/${boostId}`, 'peer-test-token-bob')).toMatchObject({ status: 200, body: { content: '<p>my own words</p>' } });
    expect(await request('GET', `/api/v1/statuses/${original.id}`, 'peer-test-token-bob')).toMatchObject({ body: { content: '<p>original</p>', edited_at: null } });
  });

  it('takes a blank text, which a boost may have, and still refuses someone else’s boost', async () => {
    const s = await start();
    const original = s.postStatus({}, { account: 'carol', homeOf: [] });
    const boost = s.postStatus({ reblog: original }, { account: 'bob', homeOf: ['1002'] });
    // Only the language changes: null (ReblogService sets none) becomes the cascade's default.
    expect(await request('PUT', `/api/v1/statuses/${boost.id}`, 'peer-test-token-bob', {})).toMatchObject({ status: 200, body: { id: boost.id, content: '', language: 'en' } });
    expect(await request('PUT', `/api/v1/statuses/${boost.id}`, 'peer-test-token', { status: 'mine now' })).toEqual({ status: 404, body: { error: 'Record not found' } });
  });
});
