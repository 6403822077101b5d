import { describe, expect, it } from 'vitest';
import type { Notification } from '../src/index.js';
import { isKnownNotification } from '../src/schemas.js';
import { loadSseFixture, SSE_FIXTURES } from './support/fixtures.js';

/** The notifications of Mastodon 4.5.7's own captures. */
function realNotifications(): Notification[] {
  const found: Notification[] = [];
  for (const fixture of SSE_FIXTURES) {
    const text = new TextDecoder().decode(loadSseFixture(fixture).body);
    for (const match of text.matchAll(/event: notification\ndata: (\{.*\})\n/g)) found.push(JSON.parse(match[1] as string) as Notification);
  }
  return found;
}

describe('isKnownNotification', () => {
  const real = realNotifications();

  it("vouches for every notification of Mastodon's own captures", () => {
    expect(real.length).toBeGreaterThan(0);
    for (const notification of real) expect(isKnownNotification(notification), notification.type).toBe(true);
  });

  it('refuses an unknown type, a prototype name, and a known type without the object it attaches', () => {
    const [mention] = real.filter((notification) => notification.type === 'mention');
    if (!mention) throw new Error('the captures hold no mention');
    expect(isKnownNotification({ ...mention, type: 'annual_report' })).toBe(false);
    expect(isKnownNotification({ ...mention, type: 'constructor' })).toBe(false);
    expect(isKnownNotification({ ...mention, status: null })).toBe(false);
    const { status: _status, ...withoutStatus } = mention;
    expect(isKnownNotification(withoutStatus)).toBe(false);
    expect(isKnownNotification({ ...mention, type: 'admin.report' })).toBe(false);
    expect(isKnownNotification({ ...mention, type: 'admin.report', report: { id: '7' } })).toBe(true);
    // Types that attach nothing the types name need only their type.
    expect(isKnownNotification({ ...withoutStatus, type: 'follow' })).toBe(true);
    expect(isKnownNotification({ ...withoutStatus, type: 'collection_update' })).toBe(true);
  });
});
