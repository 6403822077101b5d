/** Mastodon.py's `version_check_mode`: `'none'` (default) checks nothing; `'created'`/`'changed'` compare the server's version with when a feature was added or last changed. */
export type VersionCheckMode = 'none' | 'created' | 'changed';

/** What a `stream*` method needs from the server. */
export type StreamingFeature = 'user' | 'userNotification' | 'public' | 'hashtag' | 'list' | 'direct' | 'health';

/**
 * Mastodon.py's `@api_version(created, changed)` of each streaming method (`streamUserNotification`: when the stream appeared).
 * The check itself is in a chunk loaded only when `versionCheckMode` asks for it.
 *
 * @example
 * ```ts
 * VERSION_GATES.direct; // ['2.6.0', '2.6.0']
 * ```
 */
export const VERSION_GATES: Readonly<Record<StreamingFeature, readonly [created: string, changed: string]>> = Object.freeze({
  user: ['1.1.0', '1.4.2'],
  userNotification: ['1.4.2', '1.4.2'],
  public: ['1.1.0', '1.4.2'],
  hashtag: ['1.1.0', '1.4.2'],
  list: ['2.1.0', '2.1.0'],
  direct: ['2.6.0', '2.6.0'],
  health: ['2.5.0', '2.5.0'],
});
