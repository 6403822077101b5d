import type { MastodonEvent } from '../../src/events.js';

/** Reads `count` events from an iterator, failing after `timeoutMs` of real time. */
export async function take(iterator: AsyncIterator<MastodonEvent>, count: number, timeoutMs = 10_000): Promise<MastodonEvent[]> {
  const events: MastodonEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (events.length < count) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${events.length}/${count} events`)), Math.max(1, deadline - Date.now()));
    });
    try {
      const result = await Promise.race([iterator.next(), timeout]);
      if (result.done) break;
      events.push(result.value);
    } finally {
      clearTimeout(timer);
    }
  }
  return events;
}

/** Resolves when `condition` holds, polling in real time. */
export async function until(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The ids of statuses and notifications in `events`; other events as `name?`, so order checks see them too. */
export function ids(events: MastodonEvent[]): string[] {
  return events.map((event) => (event.event === 'update' || event.event === 'notification' ? event.payload.id : `${event.event}?`));
}
