/** How long PostStatusService remembers a key (`redis.setex(idempotency_key, 3_600, …)`). */
export const IDEMPOTENCY_WINDOW_MS = 3_600_000;

/**
 * The `Idempotency-Key`s of `POST /api/v1/statuses`, as PostStatusService keeps them in Redis:
 * per account and key, the id of the status the first request created, for an hour. Times come
 * from `Date.now()`, so a test can pass the window with a fake clock instead of waiting.
 *
 * @example
 * const keys = new IdempotencyKeys();
 * keys.remember('1001', 'abc', '109348');
 * keys.statusIdFor('1001', 'abc'); // '109348'
 * keys.statusIdFor('1002', 'abc'); // undefined: keys are per account
 */
export class IdempotencyKeys {
  private readonly entries = new Map<string, { statusId: string; expiresAtMs: number }>();

  /** The status created under this key by this account within the window, else undefined. */
  statusIdFor(accountId: string, key: string): string | undefined {
    const entryKey = JSON.stringify([accountId, key]);
    const entry = this.entries.get(entryKey);
    if (entry === undefined) return undefined;
    if (Date.now() < entry.expiresAtMs) return entry.statusId;
    this.entries.delete(entryKey);
    return undefined;
  }

  remember(accountId: string, key: string, statusId: string): void {
    this.entries.set(JSON.stringify([accountId, key]), { statusId, expiresAtMs: Date.now() + IDEMPOTENCY_WINDOW_MS });
  }
}

/**
 * The request's `Idempotency-Key`, or undefined when it has none that Rails' `present?` accepts
 * (missing, empty or only blanks). A repeated header arrives joined by Node (`a, b`) and is used
 * as one key, as Rack does.
 *
 * @example
 * idempotencyKeyOf({ 'idempotency-key': '  ' }) // undefined
 */
export function idempotencyKeyOf(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const raw = headers['idempotency-key'];
  const key = Array.isArray(raw) ? raw.join(', ') : raw;
  return key === undefined || key.trim() === '' ? undefined : key;
}
