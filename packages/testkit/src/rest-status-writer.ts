import type { IncomingHttpHeaders } from 'node:http';
import type { AccountStanding } from './account-standing.js';
import { accountForId, type AccountJson } from './identities.js';
import { authenticateRest, extractRestToken, requireRestUser } from './rest-authentication.js';
import type { RailsParams } from './rails-params.js';
import type { RestAnswer } from './rest-statuses.js';
import type { FakeToken } from './types.js';

/** Api::V1::StatusesController's `doorkeeper_authorize! :write, :'write:statuses'` (app/controllers/api/v1/statuses_controller.rb:9). */
const WRITE_STATUSES = ['write', 'write:statuses'];

/** What {@link statusWriter} reads. */
export interface StatusWriterContext {
  tokens: ReadonlyMap<string, FakeToken>;
  standing: AccountStanding;
}

/**
 * The account a status write (`POST`, `PUT` or `DELETE /api/v1/statuses…`) acts as, or Rails'
 * refusal, in the controller's order (app/controllers/api/v1/statuses_controller.rb:9-10): the
 * token with `write` or `write:statuses` (401 without a usable one, 403 without the scope), then
 * `require_user!` (422 for an app-only token, 403 for a disabled or suspended login). The
 * favourite endpoints accept other `scopes` (`write`, `write:favourites`).
 *
 * @example
 * statusWriter(req.headers, query, body, context) // { accountId: '1001', account: { … } }, or { status: 403, body: { error: '…' } }
 */
export function statusWriter(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  body: RailsParams,
  ctx: StatusWriterContext,
  scopes: readonly string[] = WRITE_STATUSES,
): { accountId: string; account: AccountJson } | RestAnswer {
  const auth = authenticateRest(headers, query, ctx.tokens, ctx.standing, scopes, 'required', body);
  if (!auth) return { status: 401, body: { error: 'The access token is invalid' } };
  if ('error' in auth) return { status: auth.status, body: { error: auth.error } };
  const notUser = requireRestUser(auth, ctx.standing);
  if (notUser) return { status: notUser.status, body: { error: notUser.error } };
  const token = ctx.tokens.get(extractRestToken(headers, query, body) ?? '');
  return { accountId: auth.accountId, account: accountForId(auth.accountId, token?.acct) };
}
