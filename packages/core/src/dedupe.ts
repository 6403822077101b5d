import type { MastodonEvent } from './events.js';
import { compareIds } from './ids.js';

/**
 * A bounded set of event keys that remembers at least the last `capacity`
 * keys and at most twice as many, so memory stays flat however long the
 * stream runs.
 */
export interface DedupeCache {
  /** Remembers `key`; false when it was already known (a duplicate). */
  remember(key: string): boolean;
  has(key: string): boolean;
}

/** (Closures rather than a class: local names minify where `this.#field` reads cannot.) */
export const dedupeCache = (capacity: number): DedupeCache => {
  // Two generations instead of a ring with per-key deletes: a full generation
  // is dropped whole, which costs about 40 % less per key than evicting the
  // oldest key on every insert, and it never remembers fewer than `capacity`.
  let current = new Set<string>();
  let previous = new Set<string>();
  const generationSize = Math.floor(capacity); // at least 1: the option checks see to it
  const has = (key: string): boolean => current.has(key) || previous.has(key);
  return {
    remember(key) {
      if (has(key)) return false;
      current.add(key);
      if (current.size >= generationSize) {
        previous = current;
        current = new Set();
      }
      return true;
    },
    has,
  };
};

/**
 * Remembers which events were delivered, per kind, so that the keys are the
 * ids themselves: no key string is built for the common `update` and
 * `notification` events (that allocation was most of the cost of dedupe).
 */
export interface EventDeduplicator {
  /**
   * False when `event` was delivered before, or is an `update` or `status.update`
   * of a status already deleted (the server can send the delete first). A `status.update`
   * is otherwise never a duplicate; a conversation is keyed by the state last delivered. Events with no stable identity (reactions,
   * unknown events) always pass, and so does `announcement.delete`: Mastodon
   * deletes the same announcement id again each time it is published and withdrawn.
   */
  admit(event: MastodonEvent): boolean;
  /**
   * The live connection sent a heartbeat: what follows it was written after the catch-up's REST answers (Mastodon
   * writes one every 15 s, and a catch-up takes less), so a conversation going back to an older message is news.
   */
  heartbeat(): void;
}

/** (Closures rather than a class: local names minify where `this.#field` reads cannot.) */
export const eventDeduplicator = (capacity: number): EventDeduplicator => {
  const statuses = dedupeCache(capacity);
  const notifications = dedupeCache(capacity);
  const deletes = dedupeCache(capacity);
  const others = dedupeCache(capacity);
  /**
   * Conversation id → the state last delivered (newest status and `unread`), its status id, and, when a catch-up
   * delivered it, how many heartbeats had come by then (-1 for a live one).
   */
  let conversations = new Map<string, [state: string, lastStatusId: string, caughtUpAtHeartbeat: number]>();
  let heartbeats = 0;
  return {
    heartbeat() {
      heartbeats++;
    },
    admit(event) {
      const { payload } = event as { payload?: unknown };
      // Id events carry the id itself; every other payload names its entity by `id`.
      if (event.event === 'delete') return deletes.remember(event.payload);
      const id = (payload as { id?: unknown } | null | undefined)?.id;
      // With validation off a payload may have no id: nothing recognises it as seen before, so it passes.
      if (typeof id !== 'string') return true;
      switch (event.event) {
        case 'update':
          return !deletes.has(id) && statuses.remember(id);
        case 'notification':
          return notifications.remember(id);
        case 'status.update':
          // Dropped only after its delete (the server can send the delete first). Never as a repeat: Mastodon 4.5 sends
          // one with the same edited_at when a quote is accepted or revoked or a quote policy changes, and a repeat of a
          // status's new state is harmless where a lost one would leave it stale.
          return !deletes.has(id);
        case 'conversation': {
          // A conversation is state: only a repeat of the state last delivered is a duplicate. A change is news even
          // when it goes back (Mastodon shows the previous message once the newest is deleted) or only flips
          // `unread` (it streams a conversation marked read).
          const lastStatusId = event.payload.last_status?.id ?? '';
          const state = `${lastStatusId} ${event.payload.unread}`;
          const known = conversations.get(id);
          if (known?.[0] === state) return false;
          // A catch-up shows a conversation as REST has it then, while the live connection (opened first, read after
          // the catch-up) may still hold its earlier updates: those are stale, unless the newer status was deleted
          // (servers before 4.0 sent a delete on `direct`) or a heartbeat came between (4.5 sends no delete there, only
          // the conversation back at its previous message, which without this bound was dropped for good).
          if (event.source === 'live' && known?.[2] === heartbeats && compareIds(lastStatusId, known[1]) < 0 && !deletes.has(known[1])) return false;
          // Bounded as the caches are: past `capacity` conversations it starts afresh.
          if (conversations.set(id, [state, lastStatusId, event.source === 'catchup' ? heartbeats : -1]).size > capacity) conversations = new Map();
          return true;
        }
        case 'announcement':
          return others.remember(`a:${id}:${event.payload.updated_at ?? ''}`);
        default:
          return true;
      }
    },
  };
};
