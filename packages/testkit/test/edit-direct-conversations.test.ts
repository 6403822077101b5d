import { describe, expect, it } from 'vitest';
import { defaultTokens, type FakeMastodon } from '@tootstream/testkit';
import { directConversationProbes } from './direct-conversation-probes.js';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// Editing a `direct` status, as Mastodon 4.5 does: FanOutOnWriteService skips deliver_to_conversation! on an
// update, so no conversation is streamed, but a conversation keeps status ids, so REST renders its
// last_status as the status is now. A mention the edit adds is notified, and NotifyService#push_to_conversation!
// gives that account its conversation.
// alice = 1001, bob = 1002, dave = 1004 (local, given a token here), carol = 1003 (remote, no token).

const DAVE_TOKEN = 'peer-test-token-dave';
const { start, openStream } = useFakePerTest({
  tokens: { ...defaultTokens(), [DAVE_TOKEN]: { accountId: '1004', acct: 'dave', scopes: ['read', 'write'] } },
});
const TOKENS: Record<string, string> = { '1001': 'peer-test-token', '1002': 'peer-test-token-bob', '1004': DAVE_TOKEN };
const mention = (id: string, username: string) => ({ id, username, acct: username, url: `https://peer.example/@${username}` });

interface Conversation {
  id: string;
  unread: boolean;
  accounts: Array<{ id: string }>;
  last_status: { id: string; content: string; edited_at: string | null; favourited?: boolean } | null;
}

/** `id unread? [participants] last-status-id content`, to compare at a glance. */
const summary = (conversation: Conversation) =>
  `${conversation.id} ${conversation.unread ? 'unread' : 'read'} [${conversation.accounts.map((account) => account.id).join(',')}] ${conversation.last_status?.id} ${conversation.last_status?.content}`;

const { directStream, streamed, storedConversations: stored } = directConversationProbes(openStream, TOKENS, summary);

describe('editStatus of a direct status', () => {
  it('streams no conversation, and REST shows the edited status as last_status, rendered for each recipient', async () => {
    const s = await start();
    const [alice, bob] = [await directStream(s, '1001'), await directStream(s, '1002')];
    const dm = s.postStatus({ content: '<p>@alice v1</p>', mentions: [mention('1001', 'alice')] }, { account: 'bob', visibility: 'direct' });
    const edited = s.editStatus(dm.id, { content: '<p>@alice v2</p>' });

    // Only the posting's conversations, as they were then.
    expect(await streamed(s, alice, '1001')).toEqual([`1 unread [1002] ${dm.id} <p>@alice v1</p>`]);
    expect(await streamed(s, bob, '1002')).toEqual([`2 read [1001] ${dm.id} <p>@alice v1</p>`]);
    const [ofAlice] = await stored(s, '1001');
    expect(ofAlice && summary(ofAlice)).toBe(`1 unread [1002] ${dm.id} <p>@alice v2</p>`);
    expect(ofAlice?.last_status).toMatchObject({ edited_at: edited.edited_at, favourited: false });
    expect((await stored(s, '1002')).map(summary)).toEqual([`2 read [1001] ${dm.id} <p>@alice v2</p>`]);
  });

  it('gives a mention the edit adds its conversation (NotifyService#push_to_conversation!), and no one else a new one', async () => {
    const s = await start();
    const [alice, dave] = [await directStream(s, '1001'), await directStream(s, '1004')];
    const dm = s.postStatus({ content: '<p>@alice hi</p>', mentions: [mention('1001', 'alice')] }, { account: 'bob', visibility: 'direct' });
    s.editStatus(dm.id, { content: '<p>@alice @dave hi</p>', mentions: [mention('1001', 'alice'), mention('1004', 'dave')] });

    expect(await streamed(s, dave, '1004')).toEqual([`3 unread [1001,1002] ${dm.id} <p>@alice @dave hi</p>`]);
    expect(await streamed(s, alice, '1001')).toEqual([`1 unread [1002] ${dm.id} <p>@alice hi</p>`]);
    expect((await stored(s, '1001')).map(summary)).toEqual([`1 unread [1002] ${dm.id} <p>@alice @dave hi</p>`]);
  });

  it('streams an edited earlier status when deleting the newest brings the conversation back to it', async () => {
    const s = await start();
    const alice = await directStream(s, '1001');
    const first = s.postStatus({ content: '<p>@alice first</p>', mentions: [mention('1001', 'alice')] }, { account: 'bob', visibility: 'direct' });
    const second = s.postStatus({ content: '<p>@alice second</p>', in_reply_to_id: first.id, mentions: [mention('1001', 'alice')] }, { account: 'bob', visibility: 'direct' });
    s.editStatus(first.id, { content: '<p>@alice first, edited</p>' });
    expect((await stored(s, '1001')).map(summary)).toEqual([`1 unread [1002] ${second.id} <p>@alice second</p>`]);
    s.deleteStatus(second.id);

    expect(await streamed(s, alice, '1001')).toEqual([
      `1 unread [1002] ${first.id} <p>@alice first</p>`,
      `1 unread [1002] ${second.id} <p>@alice second</p>`,
      `1 unread [1002] ${first.id} <p>@alice first, edited</p>`,
    ]);
  });

  // Status#unlink_from_conversations! (app/models/status.rb:406-415) asks AccountConversation.remove_status for each
  // mentioned account and the author, and that finds a conversation by the participants the *active* mentions make
  // now (app/models/account_conversation.rb:87-108): after an edit changed them, only a conversation made with the
  // same participants is found. Any other keeps the deleted status, which REST renders as `last_status: null`.
  it('deleted after an edit dropped a mention, unlinks only the conversation whose participants still match', async () => {
    const s = await start();
    const [alice, bob] = [await directStream(s, '1001'), await directStream(s, '1002')];
    const dave = await directStream(s, '1004');
    const dm = s.postStatus({ content: '<p>@alice @dave hi</p>', mentions: [mention('1001', 'alice'), mention('1004', 'dave')] }, { account: 'bob', visibility: 'direct' });
    s.editStatus(dm.id, { content: '<p>@alice hi</p>', mentions: [mention('1001', 'alice')] });

    s.deleteStatus(dm.id);

    // dave's conversation was made without dave among its participants, which the active mentions still give: found, emptied, destroyed.
    expect(await stored(s, '1004')).toEqual([]);
    expect(await streamed(s, dave, '1004')).toEqual([`2 unread [1001,1002] ${dm.id} <p>@alice @dave hi</p>`]);
    // alice's and bob's were made with dave among the participants: not found, so they keep the deleted status.
    const [ofAlice] = await stored(s, '1001');
    const [ofBob] = await stored(s, '1002');
    expect([ofAlice?.accounts.map((account) => account.id), ofAlice?.last_status]).toEqual([['1002', '1004'], null]);
    expect([ofBob?.accounts.map((account) => account.id), ofBob?.last_status]).toEqual([['1001', '1004'], null]);
    expect(await streamed(s, alice, '1001')).toEqual([`1 unread [1002,1004] ${dm.id} <p>@alice @dave hi</p>`]);
    expect(await streamed(s, bob, '1002')).toEqual([`3 read [1001,1004] ${dm.id} <p>@alice @dave hi</p>`]);
  });

  it('deleted after an edit added a mention, unlinks the added account conversation only', async () => {
    const s = await start();
    const dm = s.postStatus({ content: '<p>@alice hi</p>', mentions: [mention('1001', 'alice')] }, { account: 'bob', visibility: 'direct' });
    s.editStatus(dm.id, { content: '<p>@alice @dave hi</p>', mentions: [mention('1001', 'alice'), mention('1004', 'dave')] });
    expect((await stored(s, '1004')).map(summary)).toEqual([`3 unread [1001,1002] ${dm.id} <p>@alice @dave hi</p>`]);

    s.deleteStatus(dm.id);

    expect(await stored(s, '1004')).toEqual([]);
    expect((await stored(s, '1001')).map((conversation) => [conversation.id, conversation.last_status])).toEqual([['1', null]]);
    expect((await stored(s, '1002')).map((conversation) => [conversation.id, conversation.last_status])).toEqual([['2', null]]);
  });

  it('streams last_status null when deleting the newest brings a conversation back to a deleted status it kept', async () => {
    const s = await start();
    const alice = await directStream(s, '1001');
    const both = [mention('1001', 'alice'), mention('1004', 'dave')];
    const first = s.postStatus({ content: '<p>@alice @dave one</p>', mentions: both }, { account: 'bob', visibility: 'direct' });
    s.editStatus(first.id, { content: '<p>@alice one</p>', mentions: [mention('1001', 'alice')] });
    const second = s.postStatus({ content: '<p>@alice @dave two</p>', in_reply_to_id: first.id, mentions: both }, { account: 'bob', visibility: 'direct' });

    s.deleteStatus(first.id);
    expect((await stored(s, '1001')).map(summary)).toEqual([`1 unread [1002,1004] ${second.id} <p>@alice @dave two</p>`]);
    s.deleteStatus(second.id);

    const events = await eventsBeforeMarker(s, alice, { stream: 'direct', accountId: '1001' });
    const last = JSON.parse(events.at(-1)?.data ?? '{}') as Conversation;
    expect([events.length, last.id, last.last_status]).toEqual([3, '1', null]);
    expect((await stored(s, '1001')).map((conversation) => conversation.last_status)).toEqual([null]);
  });

  // Status#unlink_from_conversations! (app/models/status.rb:406-415) unlinks the conversations of the author and of the
  // accounts the status still mentions (`mentioned_accounts`, silent ones too). An edit destroys the mention of an account
  // the author has blocked since (process_mentions_service.rb:71-79), so that account is no inbox owner any more: its
  // conversation keeps the deleted status, which renders as a null last_status, even though its thread and participants
  // still match.
  it('leaves the conversation of an account whose mention an edit destroyed (blocked since) holding the deleted status', async () => {
    const s = await start();
    const dm = s.postStatus({ content: '<p>@alice hi</p>', mentions: [mention('1001', 'alice')] }, { account: 'bob', visibility: 'direct' });
    s.viewer('1002').block('1001');
    s.editStatus(dm.id, { content: '<p>@alice hi again</p>', mentions: [mention('1001', 'alice')] });
    s.deleteStatus(dm.id);
    expect((await stored(s, '1001')).map((conversation) => [conversation.id, conversation.last_status])).toEqual([['1', null]]);
    expect(await stored(s, '1002')).toEqual([]);
  });
});
