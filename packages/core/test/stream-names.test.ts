import { describe, expect, it } from 'vitest';
import { MastodonArgumentError } from '../src/errors.js';
import { publicStreamName, resolveStreamRequest } from '../src/stream-names.js';

// A stream's name and parameters as pure units: what is refused before any request, with the message a caller reads
// (client-arguments.test.ts checks the same through the client, with a server that must see no request).

describe('resolveStreamRequest', () => {
  it.each<[string, string, Record<string, unknown>, string]>([
    ['a tag of spaces only', 'hashtag', { tag: '  ' }, 'A hashtag stream needs a non-empty tag'],
    ['a tag with its leading #', 'hashtag:local', { tag: '#rust' }, 'Pass the tag without its leading "#" (got "#rust")'],
    ['a list stream without a list id', 'list', {}, 'A list stream needs a non-empty list id'],
    ['a list id of spaces only', 'list', { list: ' ' }, 'A list stream needs a non-empty list id'],
    ['a list id that is neither text nor a number', 'list', { list: null }, 'A list stream needs a non-empty list id'],
    // `stream('public', { list: '42' })` would stream the whole federated timeline.
    ['a list id for a stream that is no list', 'public', { list: '42' }, 'list is no parameter of stream public (options go after the parameters)'],
  ])('refuses %s, saying why', (_title, name, params, message) => {
    expect(() => resolveStreamRequest(name, params)).toThrow(new MastodonArgumentError(message));
  });

  it('takes a list id given as a number as its text', () => {
    expect(resolveStreamRequest('list', { list: 42 as unknown as string })).toMatchObject({ params: { list: '42' }, pathAndQuery: '/api/v1/streaming/list?list=42', streamLabel: ['list', '42'] });
  });
});

describe('publicStreamName', () => {
  it('refuses local together with remote, saying so', () => {
    expect(() => publicStreamName({ local: true, remote: true })).toThrow(new MastodonArgumentError('`local` and `remote` cannot both be set'));
  });
});
