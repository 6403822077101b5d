import { describe, expect, it } from 'vitest';
import { assertCursorFits, resumePointFrom, type StreamCursor } from '../src/cursor.js';
import type { MastodonEvent } from '../src/events.js';
import { statusIdAt } from '../src/ids.js';

// The cursor as pure units: which cursors a stream takes (client-arguments.test.ts has the messages, through the
// client), and which delivered ids move it (resume.test.ts resumes from it against a server).

const NOW = Date.UTC(2026, 10, 30, 12);
const cursorOf = (fields: Partial<StreamCursor>) => ({ version: 1, stream: 'public', params: {}, takenAt: NOW, ...fields }) as StreamCursor;

describe('assertCursorFits', () => {
  it('takes a cursor of the same tag whatever its case (Mastodon matches tags without case)', () => {
    expect(() => assertCursorFits(cursorOf({ stream: 'hashtag', params: { tag: 'Rust' } }), 'hashtag', { tag: 'rust' })).not.toThrow();
    expect(() => assertCursorFits(cursorOf({ stream: 'hashtag', params: { tag: 'go' } }), 'hashtag', { tag: 'rust' })).toThrow();
  });

  it('takes decimal ids only, whole: no sign, letter or space before or after the digits', () => {
    for (const id of ['1', '109876543210987654']) expect(() => assertCursorFits(cursorOf({ lastStatusId: id }), 'public', {})).not.toThrow();
    for (const id of ['12x', 'x12', '12 ', '-12', '']) {
      expect(() => assertCursorFits(cursorOf({ lastStatusId: id }), 'public', {}), id).toThrow('options.cursor holds an id that is not a decimal string');
      expect(() => assertCursorFits(cursorOf({ lastNotificationId: id }), 'public', {}), id).toThrow('options.cursor holds an id that is not a decimal string');
    }
  });

  it('takes takenAt strictly between 14e11 and 1e13 (2014 and 2286) epoch ms', () => {
    for (const takenAt of [14e11 + 1, 1e13 - 1]) expect(() => assertCursorFits(cursorOf({ takenAt }), 'public', {})).not.toThrow();
    for (const takenAt of [14e11, 1e13]) expect(() => assertCursorFits(cursorOf({ takenAt }), 'public', {}), String(takenAt)).toThrow('options.cursor is not a tootstream cursor');
  });
});

describe('resumePointFrom', () => {
  const delivered = (event: string, payload: unknown) => ({ event, payload, stream: ['user'], source: 'live' }) as MastodonEvent;
  const issued = statusIdAt(NOW);

  it('moves the status cursor on updates and conversations, the notification cursor on notifications, neither on other events', () => {
    const point = resumePointFrom(undefined, () => NOW);
    point.trackDelivered(delivered('status.update', { id: issued }));
    point.trackDelivered(delivered('announcement', { id: '5' }));
    expect([point.statusCursor(), point.notificationCursor()]).toEqual([undefined, undefined]);
    point.trackDelivered(delivered('notification', { id: '77' }));
    expect([point.statusCursor(), point.notificationCursor()]).toEqual([undefined, '77']);
    point.trackDelivered(delivered('update', { id: issued }));
    expect([point.statusCursor(), point.notificationCursor()]).toEqual([issued, '77']);
    // A conversation by its newest status (conversations are paged by it), not by its own id.
    const later = statusIdAt(NOW + 1_000);
    point.trackDelivered(delivered('conversation', { id: '9'.repeat(30), last_status: { id: later } }));
    expect([point.statusCursor(), point.notificationCursor()]).toEqual([later, '77']);
  });

  it('is not moved by an id that is not decimal, whole', () => {
    const point = resumePointFrom(undefined, () => NOW);
    point.trackDelivered(delivered('update', { id: '100' }));
    for (const id of ['1000x', 'x1000', '01000']) point.trackDelivered(delivered('update', { id }));
    expect(point.statusCursor()).toBe('100');
  });

  it('hands out a cursor whose params are its own: changing them changes no stream', () => {
    const params = { tag: 'rust' };
    const cursor = resumePointFrom(undefined, () => NOW).toCursor('hashtag', params, NOW);
    cursor.params.tag = 'go';
    expect(params).toEqual({ tag: 'rust' });
  });
});
