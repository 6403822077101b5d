import { describe, expectTypeOf, it } from 'vitest';
import {
  createClient,
  type AnyTootstreamError,
  type GapInfo,
  type GapKind,
  type InstanceDocument,
  type MastodonClient,
  type MastodonEvent,
  type MastodonMalformedEventError,
  type MastodonStream,
  type Notification,
  type PayloadOf,
  type Status,
  type StreamCursor,
  type StreamName,
  type ValidationIssue,
  type Report,
  type AccountWarning,
  type RelationshipSeveranceEvent,
  type Quote,
  type ShallowQuote,
  type StatusVisibility,
  type OpenEnum,
} from '../src/index.js';

declare const event: MastodonEvent;
const client = createClient({ url: 'https://mastodon.example', accessToken: () => Promise.resolve('t') });

describe('the public surface', () => {
  it('hands out the discovered instance document read-only, with only its version typed', () => {
    const document = client.discoveredInstance();
    expectTypeOf(document).toEqualTypeOf<InstanceDocument | undefined>();
    if (document !== undefined) {
      expectTypeOf(document.version).toEqualTypeOf<string>();
      expectTypeOf(document.configuration).toEqualTypeOf<unknown>();
      // @ts-expect-error the document is the client's cached copy
      document.version = '4.5.7';
    }
  });

  it('narrows the errors the hooks receive by their code', () => {
    client.user({
      onReconnecting: ({ error }) => {
        expectTypeOf(error).toEqualTypeOf<AnyTootstreamError>();
        if (error.code === 'API') expectTypeOf(error.status).toEqualTypeOf<number>();
        if (error.code === 'API' || error.code === 'UNEXPECTED_CONTENT_TYPE') expectTypeOf(error.url).toEqualTypeOf<string | undefined>();
        if (error.code === 'UNEXPECTED_CONTENT_TYPE') expectTypeOf(error.status).toEqualTypeOf<number | undefined>();
        if (error.code === 'NETWORK') expectTypeOf(error.phase).toEqualTypeOf<'connect' | 'read'>();
        if (error.code === 'RECONNECT_EXHAUSTED') expectTypeOf(error.attempts).toEqualTypeOf<number>();
        // @ts-expect-error only an API error has a status
        if (error.code === 'NETWORK') void error.status;
      },
      onError: (error) => {
        if (error.code === 'MALFORMED_EVENT') expectTypeOf(error.issues).toEqualTypeOf<readonly ValidationIssue[]>();
      },
      onGap: ({ error }) => {
        if (error?.code === 'API') expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | undefined>();
      },
    });
  });

  it('names every catch-up route in progress reports, conversations (the direct stream) included', () => {
    client.direct({
      onCatchUpProgress: ({ route }) => {
        expectTypeOf(route).toEqualTypeOf<'statuses' | 'notifications' | 'conversations'>();
      },
    });
  });

  it('narrows the payload by the event name', () => {
    if (event.event === 'update') expectTypeOf(event.payload).toEqualTypeOf<Status>();
    if (event.event === 'status.update') expectTypeOf(event.payload).toEqualTypeOf<Status>();
    if (event.event === 'notification') expectTypeOf(event.payload).toEqualTypeOf<Notification>();
    if (event.event === 'delete') expectTypeOf(event.payload).toEqualTypeOf<string>();
    if (event.event === 'announcement.delete') expectTypeOf(event.payload).toEqualTypeOf<string>();
    if (event.event === 'filters_changed') expectTypeOf(event.payload).toEqualTypeOf<string | undefined>();
    if (event.event === 'unknown') {
      expectTypeOf(event.name).toEqualTypeOf<string>();
      expectTypeOf(event.data).toEqualTypeOf<string>();
      // @ts-expect-error unknown events have no typed payload
      void event.payload;
    }
    expectTypeOf(event.stream).toEqualTypeOf<readonly string[]>();
    expectTypeOf(event.source).toEqualTypeOf<'live' | 'catchup'>();
    expectTypeOf<PayloadOf<'update'>>().toEqualTypeOf<Status>();
  });

  it('refuses a misspelt field of a payload', () => {
    // @ts-expect-error Status names its fields; `contnet` is none of them
    if (event.event === 'update') void event.payload.contnet;
    // @ts-expect-error so does Notification
    if (event.event === 'notification') void event.payload.stauts;
    // @ts-expect-error and PayloadOf gives the same types
    void ({} as PayloadOf<'conversation'>).last_staus;
  });

  it('makes every stream an AsyncIterable of events with a cursor', () => {
    expectTypeOf(client).toEqualTypeOf<MastodonClient>();
    expectTypeOf(client.hashtag('rust', { local: true })).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.user()).toMatchTypeOf<AsyncIterable<MastodonEvent>>();
    expectTypeOf(client.user().cursor()).toEqualTypeOf<StreamCursor>();
    expectTypeOf(client.health()).toEqualTypeOf<Promise<boolean>>();
  });

  it('a cursor can be rebuilt from saved values that may be missing (exactOptionalPropertyTypes)', () => {
    const saved = { status: undefined as string | undefined, notification: undefined as string | undefined, takenAt: 1_800_000_000_000 };
    const rebuilt: StreamCursor = { version: 1, stream: 'user', params: {}, lastStatusId: saved.status, lastNotificationId: saved.notification, takenAt: saved.takenAt };
    expectTypeOf(client.user).toBeCallableWith({ cursor: rebuilt });
  });

  it('accepts only Mastodon stream names', () => {
    expectTypeOf<'public:local:media'>().toMatchTypeOf<StreamName>();
    // @ts-expect-error not a Mastodon stream
    client.stream('public:everything');
    // @ts-expect-error onlyMedia is a boolean
    client.public({ onlyMedia: 'yes' });
  });

  it('describes validation failures without exposing valibot types', () => {
    expectTypeOf<MastodonMalformedEventError['issues']>().toEqualTypeOf<readonly ValidationIssue[]>();
    expectTypeOf<ValidationIssue>().toEqualTypeOf<{ readonly path: string; readonly expected: string; readonly received: string; readonly message: string }>();
  });
});

// The repo type-checks with exactOptionalPropertyTypes, as strict projects do: values that may be undefined
// (an environment variable, a cursor not saved yet) must be accepted where the option may be left out.
describe('entity types', () => {
  it("are all named from the root, the ones a notification or status carries too (they were only at '/schemas')", () => {
    expectTypeOf<NonNullable<Notification['report']>>().toEqualTypeOf<Report>();
    expectTypeOf<NonNullable<Notification['moderation_warning']>>().toEqualTypeOf<AccountWarning>();
    expectTypeOf<NonNullable<Notification['event']>>().toEqualTypeOf<RelationshipSeveranceEvent>();
    expectTypeOf<NonNullable<Status['quote']>>().toEqualTypeOf<Quote | ShallowQuote>();
    expectTypeOf<Status['visibility']>().toEqualTypeOf<StatusVisibility>();
    expectTypeOf<'public'>().toExtend<OpenEnum<'public' | 'direct'>>();
  });
});

describe('options under exactOptionalPropertyTypes', () => {
  it('take values that may be undefined', () => {
    const maybeToken = process.env['MASTODON_TOKEN'];
    const maybeCursor = undefined as StreamCursor | undefined;
    const maybeSignal = undefined as AbortSignal | undefined;
    expectTypeOf(createClient).toBeCallableWith({ url: 'https://mastodon.example', accessToken: maybeToken, streamingUrl: undefined, userAgent: undefined });
    expectTypeOf(client.user).toBeCallableWith({ cursor: maybeCursor, signal: maybeSignal, validate: undefined });
    // A token function may find none (no Authorization header), as the run time takes it.
    expectTypeOf(createClient).toBeCallableWith({ url: 'https://mastodon.example', accessToken: () => process.env['MASTODON_TOKEN'] });
    expectTypeOf(createClient).toBeCallableWith({ url: 'https://mastodon.example', accessToken: async () => maybeToken });
  });

  it('refuse a cursor in streamDefaults: it belongs to one stream, and every other stream of the client threw on it', () => {
    const cursor = client.user().cursor();
    // @ts-expect-error a resume cursor is one stream's option
    createClient({ url: 'https://mastodon.example', streamDefaults: { cursor } });
    expectTypeOf(createClient).toBeCallableWith({ url: 'https://mastodon.example', streamDefaults: { validate: 'full' } });
  });

  it('take undefined hooks and undefined policy fields', () => {
    const maybeGapHandler = undefined as ((gap: GapInfo) => void) | undefined;
    const maybeAttempts = undefined as number | undefined;
    expectTypeOf(client.user).toBeCallableWith({ onGap: maybeGapHandler, onHeartbeat: undefined, reconnect: { maxAttempts: maybeAttempts }, catchUp: { maxPages: maybeAttempts }, dedupe: { capacity: maybeAttempts } });
  });

  it('a gap names why it was not filled, catchUp: false included, and the kinds it may hold', () => {
    expectTypeOf<GapInfo['reason']>().toEqualTypeOf<'not-recoverable' | 'budget-exhausted' | 'catch-up-failed' | 'catch-up-off'>();
    expectTypeOf<GapInfo['afterId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<GapInfo['kinds']>().toEqualTypeOf<readonly GapKind[]>();
    expectTypeOf<GapKind>().toEqualTypeOf<'statuses' | 'notifications' | 'conversations' | 'deletes' | 'edits' | 'filters_changed' | 'announcements' | 'notifications_merged'>();
  });

  it('stream parameters and health() options take undefined too', () => {
    const maybeFlag = undefined as boolean | undefined;
    const maybeText = undefined as string | undefined;
    const maybeSignal = undefined as AbortSignal | undefined;
    expectTypeOf(client.public).toBeCallableWith({ local: maybeFlag, remote: maybeFlag, onlyMedia: maybeFlag });
    expectTypeOf(client.hashtag).toBeCallableWith('rust', { local: maybeFlag });
    // A hashtag stream's tag must be there (stream-params.test-d.ts); another stream's parameter may be undefined (a
    // given one is refused), and with a name known only at run time the tag too.
    const someName = 'hashtag' as StreamName;
    expectTypeOf(client.stream('hashtag', { tag: 'rust', list: undefined })).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.stream('user', { tag: undefined, list: undefined })).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.stream(someName, { tag: maybeText, list: maybeText })).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.health).toBeCallableWith({ signal: maybeSignal });
  });
});
