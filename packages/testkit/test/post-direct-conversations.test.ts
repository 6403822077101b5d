import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { directConversationProbes } from './direct-conversation-probes.js';
import { useFakePerTest } from './fake-per-test.js';

// Posting a `direct` status makes conversations as Mastodon 4.5 does: the author's (FanOutOnWriteService#
// deliver_to_conversation!, read) and each notified mentioned account's (NotifyService#push_to_conversation!,
// unread), one AccountConversation per recipient, thread and participants, streamed on `direct`.
// alice = 1001 (peer-test-token), bob = 1002 (peer-test-token-bob), carol = 1003 (remote, no token).

const { start, openStream } = useFakePerTest();

const mention = (id: string, username: string) => ({ id, username, acct: username, url: `https://peer.example/@${username}` });
const TOKENS: Record<string, string> = { '1001': 'peer-test-token', '1002': 'peer-test-token-bob' };

interface Conversation {
  id: string;
  unread: boolean;
  accounts: Array<{ id: string }>;
  last_status: { id: string } | null;
}

/** A conversation as `id unread? [participants] last-status-id`, to compare many at a glance. */
const summary = (conversation: Conversation) =>
  `${conversation.id} ${conversation.unread ? 'unread' : 'read'} [${conversation.accounts.map((account) => account.id).join(',')}] ${conversation.last_status?.id ?? 'none'}`;

const { directStream, streamed, storedConversations } = directConversationProbes(openStream, TOKENS, summary);
const stored = async (s: FakeMastodon, accountId: string): Promise<string[]> => (await storedConversations(s, accountId)).map(summary);

describe('postStatus of a direct status', () => {
  it("updates the author's conversation (read) and each notified mentioned account's (unread), keyed by thread and participants", async () => {
    const s = await start();
    const [alice, bob] = [await directStream(s, '1001'), await directStream(s, '1002')];
    const first = s.postStatus({ mentions: [mention('1001', 'alice'), mention('1003', 'carol')] }, { account: 'bob', visibility: 'direct' });
    // alice answers in the thread: the same conversations, now at her reply.
    const reply = s.postStatus({ in_reply_to_id: first.id, mentions: [mention('1002', 'bob'), mention('1003', 'carol')] }, { account: 'alice', visibility: 'direct' });
    // A new thread with the same people is a new conversation, and so is the old thread without carol.
    const other = s.postStatus({ mentions: [mention('1001', 'alice'), mention('1003', 'carol')] }, { account: 'bob', visibility: 'direct' });
    const narrower = s.postStatus({ in_reply_to_id: first.id, mentions: [mention('1001', 'alice')] }, { account: 'bob', visibility: 'direct' });

    expect(await streamed(s, alice, '1001')).toEqual([
      `1 unread [1002,1003] ${first.id}`,
      `1 read [1002,1003] ${reply.id}`,
      `3 unread [1002,1003] ${other.id}`,
      `5 unread [1002] ${narrower.id}`,
    ]);
    expect(await streamed(s, bob, '1002')).toEqual([
      `2 read [1001,1003] ${first.id}`,
      `2 unread [1001,1003] ${reply.id}`,
      `4 read [1001,1003] ${other.id}`,
      `6 read [1001] ${narrower.id}`,
    ]);
    expect(await stored(s, '1001')).toEqual([`5 unread [1002] ${narrower.id}`, `3 unread [1002,1003] ${other.id}`, `1 read [1002,1003] ${reply.id}`]);
    expect(await stored(s, '1002')).toEqual([`6 read [1001] ${narrower.id}`, `4 read [1001,1003] ${other.id}`, `2 unread [1001,1003] ${reply.id}`]);
  });

  it('makes none for a mentioned account whose notification NotifyService drops, and lists the author alone in a note to self', async () => {
    const s = await start();
    const alice = await directStream(s, '1001');
    s.viewer('1001').mute('1002');
    s.postStatus({ mentions: [mention('1001', 'alice')] }, { account: 'bob', visibility: 'direct' });
    const note = s.postStatus({}, { account: 'alice', visibility: 'direct' });
    expect(await streamed(s, alice, '1001')).toEqual([`2 read [1001] ${note.id}`]);
    expect(await stored(s, '1002')).toHaveLength(1);
  });

  it('is taken out of posted and scripted conversations alike when deleted (AccountConversation.remove_status)', async () => {
    const s = await start();
    const alice = await directStream(s, '1001');
    const scripted = s.conversation('1001', { unread: false });
    const first = s.postStatus({ mentions: [mention('1001', 'alice')] }, { account: 'bob', visibility: 'direct' });
    const reply = s.postStatus({ in_reply_to_id: first.id, mentions: [mention('1002', 'bob')] }, { account: 'alice', visibility: 'direct' });
    s.conversation('1001', { id: scripted.id, last_status: reply });
    s.deleteStatus(reply.id);
    s.deleteStatus(first.id);
    // A new message in the thread after its conversation was destroyed starts a new conversation.
    const late = s.postStatus({ in_reply_to_id: first.id, mentions: [mention('1001', 'alice')] }, { account: 'bob', visibility: 'direct' });

    expect(await streamed(s, alice, '1001')).toEqual([
      `1 read [1002] none`,
      `2 unread [1002] ${first.id}`,
      `2 read [1002] ${reply.id}`,
      `1 unread [1002] ${reply.id}`, // conversation()'s default unread
      `2 read [1002] ${first.id}`, // the posted one falls back to bob's message; the scripted one held reply only, and is gone
      `4 unread [1002] ${late.id}`,
    ]);
    expect(await stored(s, '1001')).toEqual([`4 unread [1002] ${late.id}`]);
  });

  it('streams a conversation unchanged when the deleted status was not its newest (remove_status saves it all the same)', async () => {
    const s = await start();
    const first = s.postStatus({ mentions: [mention('1001', 'alice')] }, { account: 'bob', visibility: 'direct' });
    const second = s.postStatus({ in_reply_to_id: first.id, mentions: [mention('1001', 'alice')] }, { account: 'bob', visibility: 'direct' });
    const alice = await directStream(s, '1001');
    const bob = await directStream(s, '1002');
    s.deleteStatus(first.id);
    // app/models/account_conversation.rb:87-104 saves it without the status; the after_commit push (:23, :119-123) streams it.
    expect(await streamed(s, alice, '1001')).toEqual([`1 unread [1002] ${second.id}`]);
    expect(await streamed(s, bob, '1002')).toEqual([`2 read [1001] ${second.id}`]);
    expect(await stored(s, '1001')).toEqual([`1 unread [1002] ${second.id}`]);
    // The newest one's deletion then destroys it, unpushed: the stream has nothing more than before.
    s.deleteStatus(second.id);
    expect(await streamed(s, alice, '1001')).toEqual([`1 unread [1002] ${second.id}`]);
    expect(await stored(s, '1001')).toEqual([]);
  });
});
