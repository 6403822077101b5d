import type { IncomingHttpHeaders } from 'node:http';
import type { AccountStanding } from './account-standing.js';
import { railsQueryValue, type RailsParams } from './rails-params.js';
import { hasAnyScope } from './streaming-route.js';
import type { FakeToken } from './types.js';

/** Who a REST request authenticated as. */
export interface RestIdentity {
  accountId: string;
  scopes: string[];
  /** A client-credentials token: Rails finds no user behind it. */
  appOnly: boolean;
}

/** A Rails refusal: status and the `error` text of its JSON body. */
export interface RestRefusal {
  status: number;
  error: string;
}

const isBlank = (value: string | null | undefined): boolean => value === null || value === undefined || value.trim() === '';

/**
 * The token of a REST request as Doorkeeper's default `access_token_methods` find it (Mastodon
 * leaves them as they are), the first that is not blank: an `Authorization` header that starts
 * with `Bearer ` in any letter case, less that prefix (any other header is no token); the
 * `access_token` parameter; the `bearer_token` one. Parameters are Rails' params: a repeated
 * query key counts by its last value, and a request body's parameters (a POST's form or JSON)
 * count where the query does not name the same key (`request_parameters.merge(query_parameters)`).
 * A body value that is no string (a JSON array or object) is no token any record matches. The
 * streaming server reads tokens its own way (`extractUpgradeToken`).
 *
 * @example
 * extractRestToken({ authorization: 'bearer abc' }, new URLSearchParams()) // 'abc'
 * extractRestToken({}, new URLSearchParams(), { access_token: 'abc' }) // 'abc'
 */
export function extractRestToken(headers: IncomingHttpHeaders, query: URLSearchParams, body: RailsParams = {}): string | undefined {
  const { authorization } = headers;
  const fromHeader = authorization !== undefined && /^Bearer /i.test(authorization) ? authorization.replace(/^Bearer /i, '') : undefined;
  const param = (name: string): string | null => {
    const fromQuery = railsQueryValue(query, name);
    if (fromQuery !== null || !Object.hasOwn(body, name)) return fromQuery;
    const value = body[name];
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    // Rails' `present?`: false, null and an empty array or hash are blank.
    if (value === null || value === false || (typeof value === 'object' && Object.keys(value).length === 0)) return null;
    return JSON.stringify(value);
  };
  const found = [fromHeader, param('access_token'), param('bearer_token')].find((token) => !isBlank(token));
  return found ?? undefined;
}

const DEFAULT_SCOPES = ['read', 'write', 'follow', 'push'];
const LOGIN_DISABLED: RestRefusal = { status: 403, error: 'Your login is currently disabled' };

/**
 * The token checks every Rails API controller runs, in Rails' order: `Api::BaseController`'s
 * `require_not_suspended!` first, then the controller's `doorkeeper_authorize!` (unknown and
 * revoked tokens, scopes). Undefined when the request carries no token at all, and, under
 * `'if-given'` (`authorize_if_got_token!`), also when Doorkeeper does not know the token.
 *
 * @example
 * authenticateRest(req.headers, query, tokens, standing, ['read', 'read:statuses'], 'required')
 * // { accountId: '1001', scopes: ['read', …], appOnly: false }, or { status: 403, error: '…' }
 */
export function authenticateRest(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  tokens: ReadonlyMap<string, FakeToken>,
  standing: AccountStanding,
  acceptedScopes: readonly string[],
  tokenPolicy: 'required' | 'if-given',
  body: RailsParams = {},
): RestIdentity | RestRefusal | undefined {
  const token = extractRestToken(headers, query, body);
  if (token === undefined) return undefined;
  const config = tokens.get(token);
  // Doorkeeper finds no record for an unknown token, so authorize_if_got_token! skips the check
  // and the request goes on as anonymous; doorkeeper_authorize! answers in Doorkeeper's wording.
  if (!config) return tokenPolicy === 'if-given' ? undefined : { status: 401, error: 'The access token is invalid' };
  // Doorkeeper's lookup hands Rails revoked tokens too, so the suspension check, which runs
  // before any scope check, sees their user as well. App tokens have no user to be suspended.
  if (!config.appOnly && standing.has(config.accountId, 'suspended')) return LOGIN_DISABLED;
  if (config.revoked) return { status: 401, error: 'The access token was revoked' };
  const scopes = config.scopes ?? DEFAULT_SCOPES;
  if (!hasAnyScope(scopes, acceptedScopes)) return { status: 403, error: 'This action is outside the authorized scopes' };
  return { accountId: config.accountId, scopes: [...scopes], appOnly: config.appOnly ?? false };
}

/**
 * Rails' `require_user!`, which the endpoints about the token's own user (home, list,
 * notifications, conversations) run after the scope check, and public and tag timelines too
 * when `timelines_access` closes the origin they read. A client-credentials token gets 422
 * (not 401: 401 with the same text is only sent when the server refuses all anonymous API
 * access), a disabled or suspended login 403.
 *
 * @example
 * requireRestUser({ accountId: '0', scopes: ['read'], appOnly: true }, standing)
 * // { status: 422, error: 'This method requires an authenticated user' }
 */
export function requireRestUser(identity: RestIdentity, standing: AccountStanding): RestRefusal | undefined {
  if (identity.appOnly) return { status: 422, error: 'This method requires an authenticated user' };
  if (standing.isBarred(identity.accountId)) return LOGIN_DISABLED;
  return undefined;
}
