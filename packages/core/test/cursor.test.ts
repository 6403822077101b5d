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

  it('refuses what is no cursor: no object, null, another version, an unknown stream, an id that is no text', () => {
    for (const cursor of [undefined, null, 'cursor', 7, cursorOf({ version: 2 as 1 }), cursorOf({ stream: 'home' as 'public' })]) {
      expect(() => assertCursorFits(cursor, 'public', {}), JSON.stringify(cursor)).toThrow('options.cursor is not a tootstream cursor');
    }
    expect(() => assertCursorFits(cursorOf({ lastStatusId: 109 as unknown as string }), 'public', {})).toThrow('options.cursor holds an id that is not a decimal string');
    // A cursor written without params (by hand, or by an older version) still fits a stream that has none.
    expect(() => assertCursorFits(cursorOf({ params: undefined as never }), 'public', {})).not.toThrow();
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

  it("is not moved by an id more than a day past the server's clock; one up to a day past moves it", () => {
    const point = resumePointFrom(undefined, () => NOW);
    point.trackDelivered(delivered('update', { id: statusIdAt(NOW + 86_400_001) }));
    expect(point.statusCursor()).toBeUndefined();
    const fresh = resumePointFrom(undefined, () => NOW);
    fresh.trackDelivered(delivered('update', { id: statusIdAt(NOW + 86_400_000) }));
    expect(fresh.statusCursor()).toBe(statusIdAt(NOW + 86_400_000));
  });

  it('is not moved by a payload without a text id, and does not throw on one (validate: off)', () => {
    const point = resumePointFrom(undefined, () => NOW);
    for (const payload of [null, undefined, { id: 109 }, { id: ['5'] }]) point.trackDelivered(delivered('update', payload));
    for (const payload of [null, { id: '9', last_status: null }]) point.trackDelivered(delivered('conversation', payload));
    expect(point.statusCursor()).toBeUndefined();
  });

  it('before any status, is the moment the stream first opened (later opens do not move it), or a resumed cursor\'s takenAt', () => {
    const point = resumePointFrom(undefined, () => NOW);
    expect([point.coverageStart(), point.statusCursor()]).toEqual([undefined, undefined]);
    point.opened(NOW);
    point.opened(NOW + 5_000);
    expect([point.coverageStart(), point.statusCursor()]).toEqual([NOW, statusIdAt(NOW)]);
    const resumed = resumePointFrom(cursorOf({ takenAt: NOW - 60_000 }), () => NOW);
    resumed.opened(NOW);
    expect([resumed.coverageStart(), resumed.statusCursor()]).toEqual([NOW - 60_000, statusIdAt(NOW - 60_000)]);
  });

  it("refuses a resumed cursor whose status or notification id, or takenAt, is more than a day past the server's clock", () => {
    const ahead = statusIdAt(NOW + 2 * 86_400_000);
    expect(() => resumePointFrom(cursorOf({ lastStatusId: issued, lastNotificationId: '5' }), () => NOW).assertIssued()).not.toThrow();
    for (const fields of [{ lastStatusId: ahead }, { lastStatusId: issued, lastNotificationId: ahead }, { takenAt: NOW + 2 * 86_400_000 }]) {
      expect(() => resumePointFrom(cursorOf(fields), () => NOW).assertIssued(), JSON.stringify(fields)).toThrow("options.cursor is more than a day ahead of the server's clock");
    }
  });

  it('hands out a cursor whose params are its own: changing them changes no stream', () => {
    const params = { tag: 'rust' };
    const cursor = resumePointFrom(undefined, () => NOW).toCursor('hashtag', params, NOW);
    cursor.params.tag = 'go';
    expect(params).toEqual({ tag: 'rust' });
  });
});
