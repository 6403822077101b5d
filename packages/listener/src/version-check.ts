// Loaded on demand (through instance-checks.ts), only with versionCheckMode 'created' or 'changed'.
import type { MastodonVersionError } from './errors.js';
import { redactCredentials } from './redact.js';
import type { StreamingFeature, VersionCheckMode } from './version-gates.js';

/**
 * Throws `VersionError` (the entry's {@link MastodonVersionError}) when the
 * instance's `version` is older than the feature's `gate` (its entry in
 * VERSION_GATES) requires in this mode. An instance that does not say its
 * version passes: the check must never block a server it cannot judge. The
 * version is server text, so the request's `token` is redacted from it.
 *
 * @example
 * ```ts
 * assertVersion({ version: '2.0.0' }, 'direct', VERSION_GATES.direct, 'created', token, MastodonVersionError); // throws: direct needs 2.6.0
 * ```
 */
export function assertVersion(
  instance: unknown,
  feature: StreamingFeature,
  gate: readonly [created: string, changed: string],
  mode: VersionCheckMode,
  token: string | undefined,
  VersionError: typeof MastodonVersionError,
): void {
  if (mode === 'none') return;
  const version = (instance as { version?: unknown } | undefined)?.version;
  const have = typeof version === 'string' ? serverVersion(version) : undefined;
  if (have === undefined) return;
  const required = gate[mode === 'created' ? 0 : 1];
  const need = parseVersion(required) as number[];
  for (let index = 0; index < 3; index++) {
    const difference = (have[index] as number) - (need[index] as number);
    if (difference > 0) return;
    if (difference < 0) {
      // Names the call, as Mastodon.py's does, and the way out: a fork may report a version unrelated to what it serves.
      const call = feature == 'health' ? 'streamHealthy' : `stream${feature[0]!.toUpperCase()}${feature.slice(1)}`;
      throw new VersionError(
        `Version check failed (${call} needs version ${required}, the server has ${redactCredentials(version as string, token)}; versionCheckMode 'none' skips the check)`,
      );
    }
  }
}

/**
 * The Mastodon version an instance's `version` reports, as Mastodon.py normalises it: Hometown's `1.0.7+3.5.3` is its
 * own version and then Mastodon's, which the gates are about; a part after `+` that is no version (`4.2.0+glitch`), or
 * one below 1, leaves the first. Text after a space (Pleroma's `2.7.2 (compatible; Pleroma 2.5.0)`) is dropped first.
 */
function serverVersion(text: string): number[] | undefined {
  const [own = '', after = ''] = (text.trim().split(' ')[0] as string).split('+');
  const suffix = parseVersion(after);
  return suffix && (suffix[0] as number) >= 1 ? suffix : parseVersion(own);
}

/** `4.5.7`, `4.3.0-beta.1`, `4.2.0+glitch` → `[4, 5, 7]`, …; anything else → `undefined`. */
function parseVersion(text: string): number[] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match ? match.slice(1, 4).map(Number) : undefined;
}
