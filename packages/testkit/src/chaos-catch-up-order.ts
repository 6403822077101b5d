// Catch-up merging: a client that backfills more than one route (home and
// notifications on the `user` stream) must hand each catch-up out in creation
// order, merged across the routes, not route after route.
import { showValue, type ChaosViolation } from './chaos-violations.js';

/** One status or notification a catch-up delivered: its id and its `created_at`. */
export interface ChaosCatchUpItem {
  id: string;
  /** The payload's `created_at` (ISO 8601, as Mastodon and the chaos server write it). */
  createdAt: string;
}

/**
 * Checks that each catch-up delivered its statuses and notifications in
 * creation order (each `created_at` no earlier than the one before it).
 * `catchUps` holds one list per catch-up, in delivery order; where one
 * catch-up ends and the next begins is the client's to say (a live event in
 * between, or its own "catching up" signal).
 *
 * @returns one `catch-up-order` violation per item older than the one before it; `[]` when all are in order
 *
 * @example
 * const catchUps = [[{ id: '7', createdAt: '2025-01-01T00:00:01.000Z' }, { id: '1003', createdAt: '2025-01-01T00:00:02.000Z' }]];
 * assertNoChaosViolations(checkChaosCatchUpOrder(catchUps));
 */
export function checkChaosCatchUpOrder(catchUps: readonly (readonly ChaosCatchUpItem[])[]): ChaosViolation[] {
  return catchUps.flatMap((items, run) =>
    items.flatMap((item, position) => {
      const previous = items[position - 1];
      if (previous === undefined || item.createdAt >= previous.createdAt) return [];
      return [
        {
          rule: 'catch-up-order' as const,
          message: `catch-up ${run}, item ${position}: ${item.id} created ${item.createdAt}, before ${previous.id} (${previous.createdAt}) ahead of it`,
          expected: `created_at >= ${showValue(previous.createdAt)}`,
          actual: item,
        },
      ];
    }),
  );
}
