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
  ])('%j gives the id %j (a quoted id, as an early server sent, loses its quotes)', async (data, id) => {
    const decoder = await loadEventDecoder(['user'], 'essentials');
    for (const eventName of ['delete', 'announcement.delete']) {
      expect(decoder.decodeMessage(eventName, data, 'live')).toEqual({ event: eventName, payload: id, stream: ['user'], source: 'live' });
    }
  });

  it.each(['', '  ', '""', ' "" '])('%j is malformed: an empty id', async (data) => {
    const decoder = await loadEventDecoder(['user'], 'essentials');
    expect(decoder.decodeMessage('delete', data, 'live')).toBeInstanceOf(MastodonMalformedEventError);
  });
});
