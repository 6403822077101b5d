import { describe, expect, it } from 'vitest';
import { type FakeMastodon } from '@tootstream/testkit';
import { useFakePerTest } from './fake-per-test.js';

// FanOutOnWriteService#notify_about_update! (Mastodon 4.5, fan_out_on_write_service.rb:96-100) notifies
// `@status.reblogged_by_accounts.merge(Account.local)`: every local account with a boost of the status
// (status.rb:77-78). A `reblog` notification the author got (reblog_service.rb:46) is such a boost, whether or not
// the test also stored the boost itself. alice = 1001, bob = 1002, carol = 1003 (remote).

const { start } = useFakePerTest();
const TOKENS: Record<string, string> = { '1001': 'peer-test-token', '1002': 'peer-test-token-bob' };

async function summaries(s: FakeMastodon, accountId: string): Promise<string[]> {
  const response = await fetch(`${s.url}/api/v1/notifications`, { headers: { Authorization: `Bearer ${TOKENS[accountId]}` } });
  const notifications = (await response.json()) as Array<{ type: string; account: { id: string }; status?: { id: string } }>;
  return notifications.map((notification) => `${notification.type} from:${notification.account.id} ${notification.status?.id}`);
}

describe('editStatus and a boost known from its `reblog` notification', () => {
  it('notifies the local booster with `update`, and not a remote one', async () => {
    const s = await start();
    const original = s.postStatus({ content: '<p>v1</p>' }, { account: 'bob' });
    s.notify('1002', { type: 'reblog', status: original, fromAccount: 'alice' });
    s.notify('1002', { type: 'reblog', status: original, fromAccount: 'carol' });

    s.editStatus(original.id, { content: '<p>v2</p>' });

    expect(await summaries(s, '1001')).toEqual([`update from:1002 ${original.id}`]);
  });

  it('counts a boost both stored and notified once', async () => {
    const s = await start();
    const original = s.postStatus({ content: '<p>v1</p>' }, { account: 'bob' });
    s.postStatus({ reblog: original }, { account: 'alice' });
    s.notify('1002', { type: 'reblog', status: original, fromAccount: 'alice' });

    s.editStatus(original.id, { content: '<p>v2</p>' });

    expect(await summaries(s, '1001')).toEqual([`update from:1002 ${original.id}`]);
  });

  it('leaves out a reblog notification about another status', async () => {
    const s = await start();
    const original = s.postStatus({ content: '<p>v1</p>' }, { account: 'bob' });
    const other = s.postStatus({ content: '<p>other</p>' }, { account: 'bob' });
    s.notify('1002', { type: 'reblog', status: other, fromAccount: 'alice' });

    s.editStatus(original.id, { content: '<p>v2</p>' });

    expect(await summaries(s, '1001')).toEqual([]);
  });
});
