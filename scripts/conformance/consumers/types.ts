// Type-checked by the packaging step against the installed tarballs' declarations (not src), strict and with
// skipLibCheck off, as a careful user's project compiles them.
import { createClient, MastodonStream, type PayloadOf } from '@tootstream/core';
import { StreamHandle, Mastodon, StreamListener } from '@tootstream/listener';

const client = createClient({ url: 'https://mastodon.example' });
const content: PayloadOf<'update'>['content'] = 'text';
export async function firstAuthor(): Promise<string | undefined> {
  for await (const event of client.user()) {
    if (event.event === 'update') return `${event.payload.account.acct}: ${content}`;
  }
  return undefined;
}

// Streams and handles are made by the packages only: `new` must not compile (it would crash at first use).
// @ts-expect-error MastodonStream's constructor is private in the declarations
export const madeStream = () => new MastodonStream();
// @ts-expect-error StreamHandle's constructor is private in the declarations
export const madeHandle = () => new StreamHandle();

export const isStream = (value: unknown): value is MastodonStream => value instanceof MastodonStream;
export const handle: Promise<StreamHandle> = new Mastodon({ apiBaseUrl: 'mastodon.example' }).streamUser(new StreamListener(), { runAsync: true });
