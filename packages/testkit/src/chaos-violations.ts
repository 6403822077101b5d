// What the chaos oracle reports: each check returns a list of violations (empty
// when the client behaved), and assertNoChaosViolations turns a non-empty list
// into one readable, typed error for any test runner.

/** The rule a {@link ChaosViolation} breaks. */
export type ChaosRule =
  /** A connection's events did not arrive in order and whole (or, for a cut connection, as a prefix). */
  | 'connection-order'
  /** A status or notification was delivered more than once. */
  | 'status-duplicated'
  | 'notification-duplicated'
  /** A status or notification id the server never posted was delivered. */
  | 'status-invented'
  | 'notification-invented'
  /** With every catch-up successful, something the client had to deliver did not arrive. */
  | 'status-missing'
  | 'notification-missing'
  /** With every catch-up successful, something arrived that the client could not have been given (posted after the final status, say). */
  | 'status-unexpected'
  | 'notification-unexpected'
  /** A catch-up did not deliver its statuses and notifications in creation order. */
  | 'catch-up-order'
  /** The client left streaming connections open after it was done. */
  | 'streams-left-open';

/** One way a client's delivery disagrees with the chaos ledger. */
export interface ChaosViolation {
  readonly rule: ChaosRule;
  /** One line that says what was wrong, with what was expected and what arrived. */
  readonly message: string;
  /** What a correct client delivers (for a diff). */
  readonly expected: unknown;
  /** What this client delivered. */
  readonly actual: unknown;
}

/**
 * Thrown by {@link assertNoChaosViolations}: every violation, one per line of
 * the message, and as data in `violations`.
 *
 * @example
 * try {
 *   assertNoChaosViolations(violations, `seed ${seed}`);
 * } catch (error) {
 *   if (error instanceof ChaosViolationError) console.log(error.violations.map((violation) => violation.rule));
 *   throw error;
 * }
 */
export class ChaosViolationError extends Error {
  override readonly name = 'ChaosViolationError';
  readonly violations: readonly ChaosViolation[];
  /** What the caller said about the run (a seed and the server's script, say). */
  readonly context: string | undefined;

  constructor(violations: readonly ChaosViolation[], context?: string) {
    const count = violations.length === 1 ? '1 chaos violation' : `${violations.length} chaos violations`;
    const lines = violations.map((violation) => `\n  ${violation.rule}: ${violation.message}`).join('');
    super(`${context === undefined ? count : `${context}: ${count}`}${lines}`);
    this.violations = violations;
    this.context = context;
  }
}

/**
 * Throws a {@link ChaosViolationError} listing `violations`, unless there are
 * none. Works in any test runner: it is a plain `Error`.
 *
 * @example
 * assertNoChaosViolations(
 *   [...checkChaosConnectionOrder(ledger, liveTags), ...checkChaosStatuses(ledger, statusIds, { everyCatchUpSucceeded })],
 *   `seed ${seed}: ${ledger.script.join(' | ')}`,
 * );
 */
export function assertNoChaosViolations(violations: readonly ChaosViolation[], context?: string): void {
  if (violations.length > 0) throw new ChaosViolationError(violations, context);
}

/** A value as a violation's message shows it (internal: not exported by the entries). */
export function showValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
