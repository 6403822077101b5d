import { describe, expect, it } from 'vitest';
import { MastodonMalformedEventError } from '../src/errors.js';
import { loadEventDecoder } from '../src/event-decoder.js';

describe('id events (delete, announcement.delete)', () => {
  it.each([
    ['109', '109'],
    [' 109\n', '109'],
    ['"109"', '109'],
    [' "109" ', '109'],
    ['"', '"'],
    ['"109', '"109'],
    ['109"', '109"'],
    ['"1"0"', '1"0'],
    ['"1\n0"', '1\n0'],
    ['" 109 "', ' 109 '],
    // Quotes around the whole id only: one inside or at one end is part of it.
    ['a"1"', 'a"1"'],
    ['"1"0', '"1"0'],
  ])('%j gives the id %j (a quoted id, as an early server sent, loses its quotes)', async (data, id) => {
    const decoder = await loadEventDecoder(['user'], 'essentials');
    for (const eventName of ['delete', 'announcement.delete']) {
      expect(decoder.decodeMessage(eventName, data, 'live')).toEqual({ event: eventName, payload: id, stream: ['user'], source: 'live' });
    }
  });

  it.each(['', '  ', '""', ' "" '])('%j is malformed: an empty id', async (data) => {
    const decoder = await loadEventDecoder(['user'], 'essentials');
    const error = decoder.decodeMessage('delete', data, 'live');
    expect(error).toBeInstanceOf(MastodonMalformedEventError);
    expect(error).toMatchObject({ eventName: 'delete', data, issues: [{ path: '', expected: 'id', received: '""', message: 'empty id' }] });
  });
});

describe('JSON events that fail validation', () => {
  it("carry the server's text as it came, not the parsed payload written back", async () => {
    const decoder = await loadEventDecoder(['public'], 'essentials');
    const data = '{ "id": 7,\t"content": "x" }';
    expect(decoder.decodeMessage('update', data, 'live')).toMatchObject({ eventName: 'update', data });
  });

  it('from REST (a catch-up item) carry the payload as JSON text, or none when it cannot be written (nested deeper than the stack)', async () => {
    const decoder = await loadEventDecoder(['public'], 'essentials');
    expect(decoder.fromObject('update', { id: 7 }, 'catchup')).toMatchObject({ eventName: 'update', data: '{"id":7}' });
    const deep: unknown = JSON.parse(`{"id":7,"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    const error = decoder.fromObject('update', deep, 'catchup');
    expect(error).toBeInstanceOf(MastodonMalformedEventError);
    expect(error).toMatchObject({ eventName: 'update', data: '' });
  });
});
