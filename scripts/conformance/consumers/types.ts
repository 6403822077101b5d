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

// What the declarations refuse, with every compiler this is checked with: a misspelt field of a payload, a hashtag
// stream without its tag, `local` and `remote` together. A field no type names is read through Record<string, unknown>.
// @ts-expect-error Status names its fields
export const misspelt = (status: PayloadOf<'update'>) => status.contnet;
export const unnamedField = (status: PayloadOf<'update'>): unknown => (status as Record<string, unknown>)['pleroma'];
// @ts-expect-error a hashtag stream needs its tag
export const untagged = () => client.stream('hashtag');
export const tagged: MastodonStream = client.stream('hashtag:local', { tag: 'rust' });
// @ts-expect-error local and remote are alternatives
export const both = () => client.public({ local: true, remote: true });
