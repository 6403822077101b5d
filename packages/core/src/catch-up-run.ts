import { backfillRoute, statusRoute, type CatchUpContext, type RouteBackfill } from './catch-up.js';
import type { TootstreamError } from './errors.js';
import type { GapInfo, GapKind } from './stream-hooks.js';
import type { StreamName } from './stream-names.js';

/** Inputs of one catch-up run after a reconnect (or a resume from a cursor). */
export interface CatchUpRun extends CatchUpContext {
  sinceStatusId: string | undefined;
  sinceNotificationId: string | undefined;
  /** When the gap began (epoch ms), for the gap signal. */
  since: number | undefined;
  onGap: (gap: GapInfo) => void;
  onError: (error: TootstreamError) => void;
}

/** A backfilled item, ready to be validated and delivered as a `catchup` event. */
export interface BackfillItem {
  event: 'update' | 'notification';
  payload: RouteBackfill['items'][number];
}

/**
 * What REST can never give back for a stream: deletes and edits are not
 * listed anywhere, `filters_changed` and announcements have no timeline, and
 * direct conversations are paged by an opaque cursor, not by id.
 */
export function unrecoverableKinds(stream: StreamName): GapKind[] {
  if (stream === 'user') return ['deletes', 'edits', 'filters_changed', 'announcements'];
  if (stream === 'user:notification') return ['edits'];
  if (stream === 'direct') return ['conversations', 'deletes'];
  return ['deletes', 'edits'];
}

/**
 * Backfills every route of the stream, then returns the items oldest first
 * (statuses and notifications merged by creation time). Everything REST
 * could not cover is announced through `onGap`.
 */
export async function runCatchUp(run: CatchUpRun): Promise<BackfillItem[]> {
  run.onGap({ reason: 'not-recoverable', kinds: unrecoverableKinds(run.request.name), since: run.since });
  const items: BackfillItem[] = [];
  const route = statusRoute(run.request);
  if (route !== undefined && run.sinceStatusId !== undefined) {
    const result = await backfillRoute(run, 'statuses', route, run.sinceStatusId);
    report(run, 'statuses', result);
    for (const payload of result.items) items.push({ event: 'update', payload });
  }
  const carriesNotifications = run.request.name === 'user' || run.request.name === 'user:notification';
  if (carriesNotifications) {
    if (run.sinceNotificationId === undefined) {
      // Notification ids are sequential, not time-based: without one seen, there is nothing to page from.
      run.onGap({ reason: 'not-recoverable', kinds: ['notifications'], since: run.since });
    } else {
      const result = await backfillRoute(run, 'notifications', { path: 'api/v1/notifications', query: {} }, run.sinceNotificationId);
      report(run, 'notifications', result);
      for (const payload of result.items) items.push({ event: 'notification', payload });
    }
  }
  if (items.some((item) => item.event === 'notification') && items.some((item) => item.event === 'update')) {
    items.sort((left, right) => (left.payload.created_at ?? '').localeCompare(right.payload.created_at ?? ''));
  }
  return items;
}

function report(run: CatchUpRun, kind: 'statuses' | 'notifications', result: RouteBackfill): void {
  if (result.error !== undefined) {
    if (run.signal.aborted) return;
    run.onError(result.error);
    run.onGap({ reason: 'catch-up-failed', kinds: [kind], since: run.since, error: result.error });
  } else if (result.exhausted) {
    run.onGap({ reason: 'budget-exhausted', kinds: [kind], since: run.since });
  }
}
