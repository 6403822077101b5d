import { describe, expect, it } from 'vitest';
import { KNOWN_ACCOUNTS } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';

// What a test gets back is its own: adjusting it (to build an expected value) changes nothing the fake serves, here or
// on a later server in the same worker.
const ALICE = { Authorization: 'Bearer peer-test-token' };
const perTest = useFakeServer();

async function restStatus(url: string, id: string): Promise<{ content: string; account: { display_name: string } }> {
  const response = await fetch(`${url}/api/v1/statuses/${id}`, { headers: ALICE });
  return (await response.json()) as { content: string; account: { display_name: string } };
}

describe('content methods return copies', () => {
  it('a changed postStatus or editStatus result, its account included, leaves REST and the next server as they were', async () => {
    const s = await perTest.start();
    const posted = s.postStatus({ content: '<p>original</p>' });
    posted.content = '<p>changed by the test</p>';
    posted.account.display_name = 'Changed';
    expect(await restStatus(s.url, posted.id)).toMatchObject({ content: '<p>original</p>', account: { display_name: 'Alice Peer' } });
    const edited = s.editStatus(posted.id, { content: '<p>edited</p>' });
    edited.content = '<p>changed again</p>';
    expect((await restStatus(s.url, posted.id)).content).toBe('<p>edited</p>');
    const next = await perTest.start();
    expect(next.postStatus().account.display_name).toBe('Alice Peer');
  });

  it('a changed notify or conversation result leaves what REST serves as it was', async () => {
    const s = await perTest.start();
    const notification = s.notify('1001', { type: 'follow' });
    notification.account.display_name = 'Changed';
    const conversation = s.conversation('1001', { id: '7' });
    conversation.unread = !conversation.unread;
    const [notifications, conversations] = await Promise.all(
      ['/api/v1/notifications', '/api/v1/conversations'].map(async (path) => (await fetch(`${s.url}${path}`, { headers: ALICE })).json()),
    );
    expect(notifications).toMatchObject([{ id: notification.id, account: { display_name: 'Bob Peer' } }]);
    expect(conversations).toMatchObject([{ id: '7', unread: !conversation.unread }]);
  });

  it('KNOWN_ACCOUNTS is frozen to its leaves: a change throws instead of reaching every later test', () => {
    expect(() => {
      (KNOWN_ACCOUNTS.alice as { display_name: string }).display_name = 'Changed';
    }).toThrow(TypeError);
    expect(() => {
      (KNOWN_ACCOUNTS.bob.emojis as unknown[]).push({});
    }).toThrow(TypeError);
    expect(KNOWN_ACCOUNTS.alice.display_name).toBe('Alice Peer');
  });
});
