/**
 * How one Rails API endpoint checks its token: the scopes its `doorkeeper_authorize!` accepts,
 * whether a request without a usable token is refused or served anonymously, and whether it
 * runs `require_user!` unconditionally.
 */
export interface RestEndpointRule {
  /** Any one of these scopes passes the check. */
  acceptedScopes: readonly string[];
  /**
   * `'required'`: `doorkeeper_authorize!`, so a missing or unknown token is a 401.
   * `'if-given'`: `authorize_if_got_token!`, which only runs when Doorkeeper found the token, so
   * a missing or unknown token is served as anonymous (revoked tokens are still found, and refused).
   */
  token: 'required' | 'if-given';
  /** Runs `require_user!` on every request (the endpoints about the token's own user). */
  alwaysNeedsUser: boolean;
}

const READ_STATUSES = ['read', 'read:statuses'] as const;

// Scopes as each Rails controller declares them (Api::V1::Timelines::HomeController,
// ListController, PublicController, TagController, Api::V1::NotificationsController,
// ConversationsController, StatusesController). Lists take `read:lists`, not `read:statuses`.
const HOME: RestEndpointRule = { acceptedScopes: READ_STATUSES, token: 'required', alwaysNeedsUser: true };
const LIST: RestEndpointRule = { acceptedScopes: ['read', 'read:lists'], token: 'required', alwaysNeedsUser: true };
const NOTIFICATIONS: RestEndpointRule = { acceptedScopes: ['read', 'read:notifications'], token: 'required', alwaysNeedsUser: true };
const CONVERSATIONS: RestEndpointRule = { acceptedScopes: READ_STATUSES, token: 'required', alwaysNeedsUser: true };
// Public and tag timelines run require_user! only when `timelines_access` asks for it.
const OPEN_READ: RestEndpointRule = { acceptedScopes: READ_STATUSES, token: 'if-given', alwaysNeedsUser: false };

/**
 * The token rule of a REST path the fake serves, or undefined for the instance endpoints,
 * which check no token at all.
 *
 * @example
 * restEndpointRule('/api/v1/timelines/list/42') // { acceptedScopes: ['read', 'read:lists'], token: 'required', alwaysNeedsUser: true }
 * restEndpointRule('/api/v2/instance') // undefined
 */
export function restEndpointRule(path: string): RestEndpointRule | undefined {
  if (path === '/api/v1/timelines/home') return HOME;
  if (path.startsWith('/api/v1/timelines/list/')) return LIST;
  if (path === '/api/v1/notifications') return NOTIFICATIONS;
  if (path === '/api/v1/conversations') return CONVERSATIONS;
  if (path === '/api/v1/timelines/public' || path.startsWith('/api/v1/timelines/tag/')) return OPEN_READ;
  // Statuses by id, one (`/:id`) or several (`?id[]=`): `authorize_if_got_token!`, no require_user!.
  if (path === '/api/v1/statuses' || path.startsWith('/api/v1/statuses/')) return OPEN_READ;
  return undefined;
}
