/** Fields shared by the HTTP error classes. */
export interface HttpErrorDetails {
  /** HTTP status code. */
  status: number;
  /** The server's own `error` text, when the body had one. */
  serverMessage?: string | undefined;
  /** Milliseconds the server asked us to wait, if it did. */
  retryAfterMs?: number | undefined;
  /** The answer's `X-Request-Id` header, which finds the request in the server's logs. */
  requestId?: string | undefined;
  /** The URL that answered, after any redirect (a 401 from a host other than the one asked names it); never holds the token. */
  url?: string | undefined;
}
