import { routePages, statusRoute, type BackfillPayload, type CatchUpContext, type RouteEnd, type RouteKind } from './catch-up.js';
import { lookbackFloor, pagesWithLookback } from './catch-up-lookback.js';
import { NOTIFICATIONS, notificationPagesSince } from './catch-up-notifications.js';
import type { AnyTootstreamError } from './error-union.js';
import type { EventDecoder } from './event-decoder.js';
import type { ResumePoint } from './cursor.js';
import type { SettledStreamOptions } from './option-checks.js';
import type { GapKind } from './stream-hooks.js';
import type { StreamName } from './stream-names.js';

/** Inputs of one catch-up run after a reconnect (or a resume from a cursor). */
export interface CatchUpRun extends CatchUpContext {
  /**
   * Where the stream is: the status id to page from (on `direct`, conversations are paged by their newest status's id
   * too), the notification id, and, before a notification was delivered, since when the stream has been covered.
   */
  resumePoint: Pick<ResumePoint, 'statusCursor' | 'notificationCursor' | 'coverageStart'>;
  /** When the gap began (epoch ms, this client's clock, as the gap signal gives it). */
  gapSince: number | undefined;
  /** The server's clock minus this client's, by the last `Date` header read (0 without one): the lookback counts on the server's. */
  serverClockOffsetMs: number;
  /** Turns REST items into `catchup` events, validated as live ones are. */
  decoder: Pick<EventDecoder, 'fromObject'>;
  /** The cursor the stream resumed from, and whether dedupe is on (for the lookback). */
  settledOptions: Pick<SettledStreamOptions, 'cursor' | 'dedupe' | 'dedupeCapacity'>;
}

/** What a backfill yields: a decoded `catchup` event, or one that failed validation. */
export type BackfillEvent = ReturnType<EventDecoder['fromObject']>;

/**
 * A catch-up in progress, read a batch at a time: the stream pulls the next
 * batch only when its consumer has taken the previous one, so a backfill of
 * any size holds about two pages in memory (the one delivered, the one
 * fetched ahead).
 */
export interface Backfill {
  /** The next events, oldest first; `undefined` once the catch-up is over. Never rejects. */
  next(): Promise<BackfillEvent[] | undefined>;
}

/**
 * What REST can never give back for a stream: deletes and edits are not
 * listed anywhere, `filters_changed` and announcements have no timeline, and
 * conversations are listed by their newest status, so one that was only
 * marked read (Mastodon streams that too) or removed during the gap is not.
 */
export function unrecoverableKinds(stream: StreamName): GapKind[] {
  if (stream === 'user') return ['deletes', 'edits', 'filters_changed', 'announcements', 'notifications_merged'];
  if (stream === 'user:notification') return ['edits', 'notifications_merged'];
  if (stream === 'direct') return ['conversations', 'deletes'];
  return ['deletes', 'edits'];
}

/**
 * Starts backfilling every route of the stream. Statuses and notifications
 * (the `user` stream has both) come out merged by creation time. Everything
 * REST could not cover is announced as a gap when its route ends.
 */
export function startCatchUp(run: CatchUpRun): Backfill {
  run.streamObserver.callHook('onGap', { reason: 'not-recoverable', kinds: unrecoverableKinds(run.resolvedRequest.name), since: run.gapSince });
  const routes: RouteReader[] = [];
  const route = statusRoute(run.resolvedRequest);
  const sinceStatusId = run.resumePoint.statusCursor();
  const floorId =
    sinceStatusId &&
    lookbackFloor({ gapSince: run.gapSince === undefined ? undefined : run.gapSince + run.serverClockOffsetMs, coverageStart: run.resumePoint.coverageStart(), resumedFrom: run.settledOptions.cursor, dedupeCapacity: dedupeCapacityOf(run.settledOptions) }, sinceStatusId);
  if (route !== undefined && sinceStatusId !== undefined) {
    routes.push(new RouteReader('update', pagesWithLookback(run, 'statuses', route, sinceStatusId, floorId), (end) => reportEnd(run, 'statuses', end)));
  }
  if (run.resolvedRequest.name === 'direct' && sinceStatusId !== undefined) {
    const pages = pagesWithLookback(run, 'conversations', { path: 'api/v1/conversations', query: {} }, sinceStatusId, floorId);
    routes.push(new RouteReader('conversation', pages, (end) => reportEnd(run, 'conversations', end)));
  }
  if (run.resolvedRequest.name === 'user' || run.resolvedRequest.name === 'user:notification') {
    const sinceNotificationId = run.resumePoint.notificationCursor();
    const coveredSince = run.resumePoint.coverageStart();
    const pages =
      sinceNotificationId !== undefined
        ? routePages(run, 'notifications', NOTIFICATIONS, sinceNotificationId)
        : coveredSince !== undefined
          ? notificationPagesSince(run, coveredSince, sinceStatusId)
          : undefined;
    // Notification ids are sequential, not time-based: with none seen and no coverage start, there is nothing to page from.
    if (pages === undefined) run.streamObserver.callHook('onGap', { reason: 'not-recoverable', kinds: ['notifications'], since: run.gapSince });
    else routes.push(new RouteReader('notification', pages, (end) => reportEnd(run, 'notifications', end)));
  }
  return {
    next: async () => (await nextMerged(routes))?.map((item) => run.decoder.fromObject(item.event, item.payload, 'catchup')),
  };
}

/** How many keys the stream's dedupe remembers at least; 0 when it is off. */
const dedupeCapacityOf = ({ dedupe, dedupeCapacity }: CatchUpRun['settledOptions']): number => (dedupe === false ? 0 : (dedupe?.capacity ?? dedupeCapacity));

/** A backfilled REST item and the event it becomes. */
interface BackfillItem {
  event: 'update' | 'notification' | 'conversation';
  payload: BackfillPayload;
}

/** One route's pages, read one page ahead of what was taken. */
class RouteReader {
  /** Items of the current page not delivered yet. */
  buffered: BackfillItem[] = [];
  readonly #event: BackfillItem['event'];
  readonly #pages: AsyncGenerator<BackfillPayload[], RouteEnd, void>;
  readonly #onEnd: (end: RouteEnd) => void;
  /** The page being fetched; `undefined` before the first refill and once the route has ended. */
  #ahead: Promise<IteratorResult<BackfillPayload[], RouteEnd>> | undefined;
  #started = false;

  constructor(event: BackfillItem['event'], pages: AsyncGenerator<BackfillPayload[], RouteEnd, void>, onEnd: (end: RouteEnd) => void) {
    this.#event = event;
    this.#pages = pages;
    this.#onEnd = onEnd;
  }

  /** True once every page was taken. */
  get ended(): boolean {
    return this.#started && this.#ahead === undefined && this.buffered.length === 0;
  }

  /** With nothing buffered, waits for the next page (and starts fetching the one after it). */
  async refill(): Promise<void> {
    if (this.buffered.length > 0) return;
    if (!this.#started) {
      this.#started = true;
      this.#fetchAhead();
    }
    const result = await this.#ahead;
    if (result === undefined || result.done === true) return;
    this.buffered = result.value.map((payload) => ({ event: this.#event, payload }));
    this.#fetchAhead();
  }

  #fetchAhead(): void {
    // routePages never throws, so this promise never rejects.
    this.#ahead = this.#pages.next().then((result) => {
      if (result.done === true) {
        this.#ahead = undefined;
        this.#onEnd(result.value);
      }
      return result;
    });
  }
}

/**
 * The next batch, oldest first: buffered items across routes in creation
 * order, up to where a route that may still grow runs dry (its next page
 * decides what comes next). `undefined` once every route has ended.
 */
async function nextMerged(routes: RouteReader[]): Promise<BackfillItem[] | undefined> {
  // One after the other, so progress hooks come route by route.
  for (const route of routes) await route.refill();
  const batch: BackfillItem[] = [];
  for (;;) {
    let earliest: RouteReader | undefined;
    for (const route of routes) {
      const head = route.buffered[0];
      if (head === undefined) {
        if (!route.ended) return batch;
        continue;
      }
      if (earliest === undefined || (head.payload.created_at ?? '') < (earliest.buffered[0]?.payload.created_at ?? '')) earliest = route;
    }
    if (earliest === undefined) return batch.length > 0 ? batch : undefined;
    batch.push(earliest.buffered.shift()!);
  }
}

function reportEnd(run: CatchUpRun, kind: RouteKind, end: RouteEnd): void {
  if (end.error !== undefined) {
    // A `user` stream whose token cannot read notifications carries none (Mastodon's streaming server leaves their
    // channel out, by the same scope REST refuses with 403): nothing was missed, and every reconnect reported a failure.
    if (run.signal.aborted || (kind == 'notifications' && run.resolvedRequest.name == 'user' && (end.error as { status?: unknown }).status === 403)) return;
    run.streamObserver.errorOccurred(end.error);
    // (Errors travel through core as their base class; every one it raises is one of AnyTootstreamError's classes.)
    run.streamObserver.callHook('onGap', { reason: 'catch-up-failed', kinds: [kind], since: run.gapSince, error: end.error as AnyTootstreamError, afterId: end.afterId });
  } else if (end.exhausted) {
    run.streamObserver.callHook('onGap', { reason: 'budget-exhausted', kinds: [kind], since: run.gapSince, afterId: end.afterId });
  }
}
