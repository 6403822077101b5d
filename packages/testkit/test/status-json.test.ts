import { describe, expect, it } from 'vitest';
import type { StatusJson } from '@tootstream/testkit';
import { useFakePerTest } from './fake-per-test.js';

// StatusJson names the fields the fake always renders: this holds the type to the renderer.
// Written as an object so that a field added to StatusJson but not here fails to compile.
type NamedKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
const VIEWER_FIELDS = ['favourited', 'reblogged', 'muted', 'bookmarked', 'pinned', 'filtered'] as const;
const ALWAYS_RENDERED = Object.keys({
  id: true, created_at: true, in_reply_to_id: true, in_reply_to_account_id: true, sensitive: true, spoiler_text: true,
  visibility: true, language: true, uri: true, url: true, replies_count: true, reblogs_count: true, favourites_count: true,
  quotes_count: true, edited_at: true, content: true, reblog: true, quote: true, application: true, account: true,
  media_attachments: true, mentions: true, tags: true, emojis: true, quote_approval: true, card: true, poll: true,
} satisfies Record<Exclude<NamedKeys<StatusJson>, (typeof VIEWER_FIELDS)[number]>, true>);

const { start } = useFakePerTest();

describe('the fields StatusJson names', () => {
  it('are what the fake renders for every status it makes: posted, edited, and carried by a notification', async () => {
    const s = await start();
    const posted = s.postStatus({}, { tags: ['rust'], media: 1 });
    const edited = s.editStatus(posted.id, { content: '<p>edited</p>' });
    const favourite = s.notify('1001', { type: 'favourite' }); // the recipient's status, made up
    const update = s.notify('1001', { type: 'update' }); // the sender's status, made up
    expect(ALWAYS_RENDERED).toHaveLength(27);
    for (const status of [posted, edited]) expect(Object.keys(status)).toEqual(ALWAYS_RENDERED);
    for (const status of [favourite.status, update.status]) {
      const viewerFields: readonly string[] = VIEWER_FIELDS;
      expect(Object.keys(status).filter((key) => !viewerFields.includes(key))).toEqual(ALWAYS_RENDERED);
      expect(Object.keys(status)).toEqual(expect.arrayContaining(['favourited', 'reblogged', 'muted', 'bookmarked', 'filtered']));
    }
    expect(posted).toMatchObject({ content: expect.any(String), uri: expect.any(String), sensitive: false, tags: [{ name: 'rust' }], quotes_count: 0 });
  });
});
