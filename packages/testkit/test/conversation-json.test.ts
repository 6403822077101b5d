import { describe, expect, it } from 'vitest';
import type { ConversationJson, FakeMastodon } from '@tootstream/testkit';
import { useFakePerTest } from './fake-per-test.js';

// conversation() returns a typed ConversationJson: these hold the type to what the fake sends.
const { start, openStream } = useFakePerTest();

async function servedConversations(s: FakeMastodon): Promise<ConversationJson[]> {
  const response = await fetch(`${s.url}/api/v1/conversations`, { headers: { Authorization: 'Bearer peer-test-token', Accept: 'application/json' } });
  return (await response.json()) as ConversationJson[];
}

describe('conversation()', () => {
  it('returns, streams and serves the four fields Mastodon renders', async () => {
    const s = await start();
    const reader = await openStream(s, 'direct');
    await s.waitForConnection((c) => c.stream === 'direct' && c.isSubscribed);
    const dm = s.postStatus({ content: '<p>@alice psst</p>' }, { account: 'bob', visibility: 'direct', homeOf: ['1001'] });
    const returned = s.conversation('1001', { last_status: dm });
    await reader.until((r) => r.events.some((event) => event.event === 'conversation'));
    const streamed = JSON.parse(reader.events.find((event) => event.event === 'conversation')?.data ?? '') as ConversationJson;
    const [served] = await servedConversations(s);
    for (const conversation of [returned, streamed, served]) {
      expect(Object.keys(conversation ?? {})).toEqual(['id', 'unread', 'accounts', 'last_status']);
      expect(conversation).toMatchObject({ id: returned.id, unread: true, accounts: [{ id: '1002' }], last_status: { id: dm.id } });
    }
  });

  it('takes a field given as undefined as not given, as every optional option of the testkit does', async () => {
    const s = await start();
    const conversation = s.conversation('1001', { id: undefined, unread: undefined, accounts: undefined, last_status: undefined });
    expect(conversation).toEqual({ id: '1', unread: true, accounts: [expect.objectContaining({ id: '1002' })], last_status: null });
    expect(await servedConversations(s)).toEqual([conversation]);
  });

  it('refuses a key it does not put over the conversation, before anything is sent or stored', async () => {
    const s = await start();
    const reader = await openStream(s, 'direct');
    await s.waitForConnection((c) => c.stream === 'direct' && c.isSubscribed);
    // A misspelt field was ignored without a word: the conversation went out unread, as the test did not ask.
    expect(() => s.conversation('1001', { unred: false } as never)).toThrow(new TypeError("FakeMastodon.conversation: unknown option 'unred' (did you mean 'unread'?)"));
    expect(() => s.conversation('1001', 'unread' as never)).toThrow(TypeError);
    expect(await servedConversations(s)).toEqual([]);
    const sent = s.conversation('1001', { unread: false });
    await reader.until((r) => r.events.some((event) => event.event === 'conversation'));
    expect(reader.events.filter((event) => event.event === 'conversation').map((event) => JSON.parse(event.data) as ConversationJson)).toEqual([sent]);
  });
});
