import { expect } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { eventsBeforeMarker } from './fake-per-test.js';
import type { StreamReader } from './sse-client.js';

/**
 * What the direct-conversation tests read: an account's `direct` stream (opened and subscribed), what it
 * received up to a marker (each conversation as `summary` shows it, other events by name), and its
 * conversations over REST.
 */
export function directConversationProbes<Conversation>(
  openStream: (server: FakeMastodon, path: string, token?: string) => Promise<StreamReader>,
  tokens: Readonly<Record<string, string>>,
  summary: (conversation: Conversation) => string,
) {
  return {
    async directStream(s: FakeMastodon, accountId: string): Promise<StreamReader> {
      const reader = await openStream(s, 'direct', tokens[accountId]);
      await s.waitForConnection((c) => c.stream === 'direct' && c.accountId === accountId && c.isSubscribed);
      return reader;
    },
    async streamed(s: FakeMastodon, reader: StreamReader, accountId: string): Promise<string[]> {
      const events = await eventsBeforeMarker(s, reader, { stream: 'direct', accountId });
      return events.map((event) => (event.event === 'conversation' ? summary(JSON.parse(event.data) as Conversation) : event.event));
    },
    async storedConversations(s: FakeMastodon, accountId: string): Promise<Conversation[]> {
      const response = await fetch(`${s.url}/api/v1/conversations`, { headers: { Authorization: `Bearer ${tokens[accountId]}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as Conversation[];
    },
  };
}
