import type { FakeMastodon } from '@tootstream/testkit';
import { createClient, type MastodonClient } from '../../src/client.js';
import type { StreamCursor } from '../../src/cursor.js';
import type { MastodonEvent } from '../../src/events.js';
import { take, until } from './collect.js';

/** The token the fake server knows (alice's). */
export const CURSOR_TOKEN = 'peer-test-token';

/**
 * A cursor taken after one event of `stream` (or `count`, when `publish` sends more: the cursor covers only what
 * was delivered), with that stream closed again (its connection gone, so the next one is the resumed stream's).
 */
export async function cursorAfterOneEvent(
  fake: FakeMastodon,
  open: (client: MastodonClient) => AsyncIterable<MastodonEvent> & { cursor(): StreamCursor },
  publish: () => void,
  count = 1,
): Promise<StreamCursor> {
  const stream = open(createClient({ url: fake.url, streamingUrl: fake.url, accessToken: CURSOR_TOKEN }));
  const iterator = stream[Symbol.asyncIterator]();
  const first = take(iterator, count);
  await fake.waitForConnection();
  publish();
  await first;
  const cursor = stream.cursor();
  await iterator.return?.();
  await until(() => fake.connections.every((connection) => connection.isClosed));
  return cursor;
}

/** A cursor of the public stream taken after one status of alice's. */
export function cursorAfterOneStatus(fake: FakeMastodon): Promise<StreamCursor> {
  return cursorAfterOneEvent(fake, (client) => client.public(), () => fake.postStatus({}, { account: 'alice' }));
}
