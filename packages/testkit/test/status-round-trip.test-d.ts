import { describe, expectTypeOf, it } from 'vitest';
import type { Status } from '@tootstream/core';
import type { FakeMastodon, StatusJson, StatusOverrides } from '@tootstream/testkit';

// Under strict + exactOptionalPropertyTypes (this repository's tsconfig), a status the fake
// returned, or one a @tootstream/core client delivered, goes back into postStatus and
// editStatus as it is: tests edit what they posted and re-post what they received.
declare const server: FakeMastodon;
declare const received: Status;

describe('status round trips', () => {
  it("takes the fake's own status back, spread with changes", () => {
    const status = server.postStatus({ content: '<p>typo</p>' });
    server.editStatus(status.id, { ...status, content: '<p>fixed</p>' });
    server.postStatus(status);
    const mentioned = server.notify('1001', { type: 'mention' }).status;
    server.editStatus(mentioned.id, { ...mentioned, spoiler_text: 'cw' });
    const asOverrides: StatusOverrides = status;
    void asOverrides;
  });

  it('takes a status typed with @tootstream/core', () => {
    server.postStatus(received);
    server.editStatus(received.id, { ...received, content: '<p>edited</p>' });
    if (received.reblog) server.postStatus({ reblog: received.reblog });
    const asOverrides: StatusOverrides = received;
    void asOverrides;
  });

  it('still rejects a misspelt or mistyped key next to a whole status', () => {
    const status = server.postStatus({});
    // @ts-expect-error: a misspelt field is a type error, also spread over a whole status
    server.editStatus(status.id, { ...status, contnet: '<p>fixed</p>' });
    // @ts-expect-error: the same over a core Status
    server.postStatus({ ...received, sensitve: true });
    // @ts-expect-error: `sensitive` is a boolean
    server.editStatus(status.id, { ...status, sensitive: 'yes' });
    // @ts-expect-error: a visibility is a string
    server.postStatus({ visibility: 5 });
  });

  it("types the fake's visibility as Mastodon's four names, open to a fork's as core's is", () => {
    expectTypeOf<StatusJson['visibility']>().toEqualTypeOf<'public' | 'unlisted' | 'private' | 'direct' | (string & {})>();
    expectTypeOf<Exclude<StatusOverrides['visibility'], undefined>>().toEqualTypeOf<StatusJson['visibility']>();
    const fromCore: NonNullable<StatusOverrides['visibility']> = received.visibility;
    void fromCore;
  });
});
