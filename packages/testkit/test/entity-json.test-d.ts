import { describe, expectTypeOf, it } from 'vitest';
import type { AccountJson, ConversationJson, ConversationOverrides, FakeMastodon, MentionJson, StatusJson, StatusTagJson } from '@tootstream/testkit';

// What tests read back from the fake is typed field by field, so an assertion beyond toEqual
// (`posted.content`, `posted.tags[0]?.name`) needs no cast, and a misspelt field is not `unknown`.
declare const server: FakeMastodon;

/** The names a type lists, without its index signature. */
type NamedKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

describe('StatusJson', () => {
  it('names every field the fake renders, and the viewer fields of a personal rendering', () => {
    expectTypeOf<NamedKeys<StatusJson>>().toEqualTypeOf<
      | 'id'
      | 'created_at'
      | 'in_reply_to_id'
      | 'in_reply_to_account_id'
      | 'sensitive'
      | 'spoiler_text'
      | 'visibility'
      | 'language'
      | 'uri'
      | 'url'
      | 'replies_count'
      | 'reblogs_count'
      | 'favourites_count'
      | 'quotes_count'
      | 'edited_at'
      | 'content'
      | 'reblog'
      | 'quote'
      | 'application'
      | 'account'
      | 'media_attachments'
      | 'mentions'
      | 'tags'
      | 'emojis'
      | 'quote_approval'
      | 'card'
      | 'poll'
      | 'favourited'
      | 'reblogged'
      | 'muted'
      | 'bookmarked'
      | 'pinned'
      | 'filtered'
    >();
  });

  it('types the fields a test asserts on', () => {
    const posted = server.postStatus({ content: '<p>hi</p>' }, { tags: ['rust'] });
    expectTypeOf(posted.content).toEqualTypeOf<string>();
    expectTypeOf(posted.uri).toEqualTypeOf<string>();
    expectTypeOf(posted.url).toEqualTypeOf<string | null>();
    expectTypeOf(posted.tags).toEqualTypeOf<readonly StatusTagJson[]>();
    expectTypeOf(posted.mentions).toEqualTypeOf<readonly MentionJson[]>();
    expectTypeOf(posted.sensitive).toEqualTypeOf<boolean>();
    expectTypeOf(posted.reblogs_count).toEqualTypeOf<number>();
    expectTypeOf(posted.in_reply_to_id).toEqualTypeOf<string | null>();
    expectTypeOf(posted.favourited).toEqualTypeOf<boolean | undefined>();
    expectTypeOf(posted.reblog?.id).toEqualTypeOf<string | undefined>();
    // A status the fake returned still goes back in as it is.
    server.editStatus(posted.id, { ...posted, content: '<p>edited</p>' });
    // @ts-expect-error: content is a string
    server.editStatus(posted.id, { ...posted, content: 5 });
  });
});

describe('ConversationJson', () => {
  it('types what conversation() returns, so last_status needs no cast', () => {
    const conversation = server.conversation('1001', { id: '77' });
    expectTypeOf(conversation).toEqualTypeOf<ConversationJson>();
    expectTypeOf(conversation.unread).toEqualTypeOf<boolean>();
    expectTypeOf(conversation.accounts).toEqualTypeOf<readonly AccountJson[]>();
    expectTypeOf(conversation.last_status).toEqualTypeOf<StatusJson | null>();
    expectTypeOf(conversation.last_status?.content).toEqualTypeOf<string | undefined>();
    // Still goes where a helper takes any JSON object, as the old Record<string, unknown> did.
    expectTypeOf(conversation).toExtend<Record<string, unknown>>();
  });

  it('takes typed fields, and a conversation it returned spread with changes', () => {
    expectTypeOf(server.conversation).parameter(1).toEqualTypeOf<ConversationOverrides | undefined>();
    const conversation = server.conversation('1001', { last_status: server.postStatus({}, { visibility: 'direct' }) });
    server.conversation('1001', { ...conversation, unread: false });
    // @ts-expect-error: a misspelt field is a type error
    server.conversation('1001', { id: '7', unraed: false });
    // @ts-expect-error: unread is a boolean
    server.conversation('1001', { unread: 'no' });
    // @ts-expect-error: last_status is a whole status (one the fake returned), not just an id
    server.conversation('1001', { last_status: { id: '300' } });
  });
});
