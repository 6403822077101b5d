import { describe, expectTypeOf, it } from 'vitest';
import { createClient, isStreamName, type MastodonStream, type PublicStreamParams, type StreamName, type StreamParams, type StreamParamsFor } from '../src/index.js';

// What the stream calls refuse to compile: the mistakes their arguments check would otherwise throw on at run time.
const client = createClient({ url: 'https://mastodon.example' });
declare const maybeText: string | undefined;
declare const someName: StreamName;
declare const maybeParams: StreamParams | undefined;
declare const input: unknown;

describe('client.stream', () => {
  it('requires the tag of a hashtag stream and the id of a list stream', () => {
    // @ts-expect-error a hashtag stream needs its tag
    client.stream('hashtag');
    // @ts-expect-error the local one too
    client.stream('hashtag:local', {});
    // @ts-expect-error a tag that may be missing
    client.stream('hashtag', { tag: maybeText });
    // @ts-expect-error either hashtag stream, chosen at run time, needs it
    client.stream(Math.random() > 0.5 ? 'hashtag:local' : 'hashtag', { list: '42' });
    // @ts-expect-error a list stream needs the list id
    client.stream('list');
    // @ts-expect-error a tag is no list id
    client.stream('list', { tag: 'rust' });
  });

  it("refuses another stream's parameter, as the call does (undefined is left out)", () => {
    // @ts-expect-error the public stream takes no tag (it would stream the whole federated timeline)
    client.stream('public', { tag: 'rust' });
    // @ts-expect-error a hashtag stream takes no list
    client.stream('hashtag', { tag: 'rust', list: '42' });
    // @ts-expect-error a list stream takes no tag, not even one that may be missing
    client.stream('list', { list: '42', tag: maybeText });
    expectTypeOf(client.stream('list', { list: '42', tag: undefined })).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.stream('public:local', {})).toEqualTypeOf<MastodonStream>();
  });

  it('takes what it took before for every other call', () => {
    expectTypeOf(client.stream('hashtag', { tag: 'rust' })).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.stream('hashtag:local', { tag: 'rust' }, { reconnect: false })).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.stream('list', { list: '42' })).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.stream('user')).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.stream('public:local:media', {}, { validate: 'full' })).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.stream('direct', undefined, { reconnect: false })).toEqualTypeOf<MastodonStream>();
  });

  it('takes any parameters for a name known only at run time, which the call checks', () => {
    // The whole union: a name read from input (isStreamName narrows to it), with or without parameters.
    if (isStreamName(input)) expectTypeOf(client.stream(input)).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.stream(someName, maybeParams)).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.stream(someName, { tag: maybeText }, { validate: 'off' })).toEqualTypeOf<MastodonStream>();
    // Streams that need different parameters.
    expectTypeOf(client.stream(Math.random() > 0.5 ? 'hashtag' : 'user', { tag: 'rust' })).toEqualTypeOf<MastodonStream>();
  });

  it('names the parameters per stream, for callers generic in the name', () => {
    expectTypeOf<StreamParamsFor<'hashtag:local'>['tag']>().toEqualTypeOf<string>();
    expectTypeOf<StreamParamsFor<'list'>['list']>().toEqualTypeOf<string>();
    expectTypeOf<StreamParamsFor<'user'>>().toEqualTypeOf<{ tag?: undefined; list?: undefined }>();
    expectTypeOf<StreamParamsFor<StreamName>>().toEqualTypeOf<StreamParams>();
    const open = <Name extends StreamName>(name: Name, params: StreamParamsFor<Name>) => client.stream(name, params);
    expectTypeOf(open('hashtag', { tag: 'rust' })).toEqualTypeOf<MastodonStream>();
    // @ts-expect-error the wrapper requires what the stream does
    open('hashtag', {});
    // A caller that checks nothing itself widens the name explicitly.
    const openAny = <Name extends StreamName>(name: Name, params?: StreamParams) => client.stream<StreamName>(name, params);
    expectTypeOf(openAny('list')).toEqualTypeOf<MastodonStream>();
  });
});

describe('client.public', () => {
  it('refuses local and remote both true, which the call throws on', () => {
    // @ts-expect-error local and remote are alternatives
    client.public({ local: true, remote: true });
    // @ts-expect-error with the media flag too
    client.public({ remote: true, local: true, onlyMedia: true }, { reconnect: false });
    const both = { local: true, remote: true } as const;
    // @ts-expect-error also from a constant
    client.public(both);
  });

  it('takes every other combination, and flags known only at run time', () => {
    const maybeFlag = Math.random() > 0.5 ? true : undefined;
    const params: PublicStreamParams = { local: true };
    expectTypeOf(client.public()).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.public({}, { validate: 'off' })).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.public({ local: true, onlyMedia: true })).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.public({ local: true, remote: false })).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.public({ local: maybeFlag, remote: maybeFlag })).toEqualTypeOf<MastodonStream>();
    expectTypeOf(client.public(params)).toEqualTypeOf<MastodonStream>();
  });

  it('still refuses what it refused', () => {
    // @ts-expect-error a misspelt flag (the object literal check stays)
    client.public({ local: true, locale: true });
    // @ts-expect-error flags are booleans
    client.public({ remote: 'yes' });
  });
});

describe('client.hashtag', () => {
  it('takes any string, so generic wrappers and client doubles compile (the call checks the "#" at run time)', () => {
    // A literal-only refusal of '#rust' (tried) broke both of these, which matter more.
    const follow = <Tag extends string>(tag: Tag) => client.hashtag(tag);
    expectTypeOf(follow('rust')).toEqualTypeOf<MastodonStream>();
    const double: Pick<typeof client, 'hashtag'> = { hashtag: (tag: string) => client.hashtag(tag) };
    expectTypeOf(double.hashtag('rust', { local: true })).toEqualTypeOf<MastodonStream>();
    // @ts-expect-error a tag is text
    client.hashtag(42);
  });
});
