// The timeline side of the oracle: statuses and notifications, whether they came
// live or from a catch-up, are each delivered once, never invented, and, when
// every catch-up succeeded, none is missing.
import type { ChaosLedger } from './chaos-ledger.js';
import { showValue, type ChaosRule, type ChaosViolation } from './chaos-violations.js';
import { CHAOS_TIMELINE_OPTIONS } from './chaos-option-names.js';
import { checkOptionNames } from './option-names.js';

/** Options of {@link checkChaosStatuses} and {@link checkChaosNotifications}. */
export interface ChaosTimelineOptions {
  /**
   * Whether every catch-up the client tried succeeded (no gap it reported was
   * left unfilled). Only then must nothing be missing: a failed catch-up
   * rightly leaves a gap.
   */
  everyCatchUpSucceeded: boolean;
}

/**
 * Checks the statuses a client delivered (live and caught up, in delivery
 * order) against the server's timeline: none twice, none the server never
 * posted, and, when the run reached its final status and every catch-up
 * succeeded, exactly the statuses posted before the final one, those catch-up
 * pages handed out, and the final one.
 *
 * @returns `status-duplicated`, `status-invented`, `status-missing` and `status-unexpected` violations; `[]` when all are right
 *
 * @example
 * const statusIds = events.flatMap((event) => (event.event === 'update' ? [event.payload.id] : []));
 * const everyCatchUpSucceeded = !gaps.some((gap) => gap.reason !== 'not-recoverable');
 * assertNoChaosViolations(checkChaosStatuses(chaos.ledger, statusIds, { everyCatchUpSucceeded }));
 */
export function checkChaosStatuses(ledger: ChaosLedger, statusIds: readonly string[], options: ChaosTimelineOptions): ChaosViolation[] {
  checkOptionNames('checkChaosStatuses', options, CHAOS_TIMELINE_OPTIONS);
  const { everyCatchUpSucceeded } = options;
  const { finalStatusId } = ledger;
  const known = new Set(ledger.posted);
  if (finalStatusId !== undefined) known.add(finalStatusId);
  let complete: Set<string> | undefined;
  if (finalStatusId !== undefined && everyCatchUpSucceeded) {
    const final = BigInt(finalStatusId);
    complete = new Set([...ledger.posted.filter((id) => BigInt(id) < final), ...ledger.served, finalStatusId]);
  }
  return checkIds('status', statusIds, known, complete);
}

/**
 * Checks the notifications a client delivered (`user` stream) against the
 * server's: none twice, none the server never posted, and, when the run
 * reached its final status and every catch-up succeeded, every notification
 * from the first one delivered on (before it, a client can only find them by
 * creation time against its coverage start, which this oracle does not know).
 *
 * @returns `notification-duplicated`, `notification-invented`, `notification-missing` and `notification-unexpected` violations; `[]` when all are right
 *
 * @example
 * const notificationIds = events.flatMap((event) => (event.event === 'notification' ? [event.payload.id] : []));
 * assertNoChaosViolations(checkChaosNotifications(chaos.ledger, notificationIds, { everyCatchUpSucceeded }));
 */
export function checkChaosNotifications(ledger: ChaosLedger, notificationIds: readonly string[], options: ChaosTimelineOptions): ChaosViolation[] {
  checkOptionNames('checkChaosNotifications', options, CHAOS_TIMELINE_OPTIONS);
  const { everyCatchUpSucceeded } = options;
  let complete: Set<string> | undefined;
  if (ledger.finalStatusId !== undefined && everyCatchUpSucceeded) {
    const first = notificationIds.map(Number).reduce((min, id) => Math.min(min, id), Infinity);
    complete = new Set(ledger.postedNotifications.filter((id) => Number(id) >= first));
  }
  return checkIds('notification', notificationIds, new Set(ledger.postedNotifications), complete);
}

/** Delivered once, known to the server, and (when `complete` is given) exactly `complete`. */
function checkIds(what: 'status' | 'notification', delivered: readonly string[], known: ReadonlySet<string>, complete: ReadonlySet<string> | undefined): ChaosViolation[] {
  const plural = what === 'status' ? 'statuses' : 'notifications';
  const violations: ChaosViolation[] = [];
  const report = (rule: ChaosRule, message: string, expected: unknown, actual: unknown) => violations.push({ rule, message, expected, actual });
  const deliveredSet = new Set(delivered);
  if (deliveredSet.size !== delivered.length) {
    const twice = [...new Set(delivered.filter((id, index) => delivered.indexOf(id) !== index))];
    report(`${what}-duplicated`, `${plural} delivered more than once: ${showValue(twice)}`, [], twice);
  }
  const invented = delivered.filter((id) => !known.has(id));
  if (invented.length > 0) report(`${what}-invented`, `${plural} the server never posted: ${showValue(invented)}`, [], invented);
  if (complete !== undefined) {
    const missing = [...complete].filter((id) => !deliveredSet.has(id));
    if (missing.length > 0) report(`${what}-missing`, `${plural} missing although every catch-up succeeded: ${showValue(missing)}`, [...complete], [...deliveredSet]);
    const unexpected = [...deliveredSet].filter((id) => !complete.has(id) && known.has(id));
    if (unexpected.length > 0) report(`${what}-unexpected`, `${plural} the client could not have been given: ${showValue(unexpected)}`, [...complete], [...deliveredSet]);
  }
  return violations;
}
