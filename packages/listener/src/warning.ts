/**
 * A non-fatal notice (Mastodon.py emits these through Python's `warnings`
 * module). Passed to the client's `onWarning` option; default `console.warn`.
 *
 * @example
 * ```ts
 * new Mastodon({ apiBaseUrl, accessToken, onWarning: (w) => log.info(w.message) });
 * ```
 */
export class MastodonWarning {
  readonly name = 'MastodonWarning';
  declare readonly message: string;

  constructor(message: string) {
    this.message = message;
  }
}
