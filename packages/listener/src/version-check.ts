// Loaded on demand (through instance-checks.ts), only with versionCheckMode 'created' or 'changed'.
import type { MastodonVersionError } from './errors.js';
import { redactCredentials } from './redact.js';
import type { VersionCheckMode } from './version-gates.js';

/**
 * Throws `VersionError` (the entry's {@link MastodonVersionError}) when the
 * instance's `version` is older than the feature's `gate` (its entry in
 * VERSION_GATES) requires in this mode. An instance that does not say its
 * version passes: the check must never block a server it cannot judge. The
 * version is server text, so the request's `token` is redacted from it.
 *
 * @example
 * ```ts
 * assertVersion({ version: '2.0.0' }, VERSION_GATES.direct, 'created', token, MastodonVersionError); // throws: direct needs 2.6.0
 * ```
 */
export function assertVersion(
  instance: unknown,
  gate: readonly [created: string, changed: string],
  mode: VersionCheckMode,
  token: string | undefined,
  VersionError: typeof MastodonVersionError,
): void {
  if (mode === 'none') return;
  const version = (instance as { version?: unknown } | undefined)?.version;
  const have = typeof version === 'string' ? parseVersion(version) : undefined;
  if (have === undefined) return;
  const required = gate[mode === 'created' ? 0 : 1];
  const need = parseVersion(required) as number[];
  for (let index = 0; index < 3; index++) {
    const difference = (have[index] as number) - (need[index] as number);
    if (difference > 0) return;
    if (difference < 0) throw new VersionError(`Version check failed (need version ${required}, server has ${redactCredentials(version as string, token)})`);
  }
}

/** `4.5.7`, `4.3.0-beta.1`, `4.2.0+glitch` → `[4, 5, 7]`, …; anything else → `undefined`. */
function parseVersion(text: string): number[] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match ? match.slice(1, 4).map(Number) : undefined;
}
