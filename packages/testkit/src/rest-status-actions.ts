import type { IncomingHttpHeaders } from 'node:http';
import { railsPathParam } from './rails-bad-path.js';
import type { RailsParams } from './rails-params.js';
import { answerDeleteStatus, type DeleteStatusContext } from './rest-delete-status.js';
import { answerPostStatus, type PostStatusContext } from './rest-post-status.js';
import { answerFavourite, answerUnfavourite, type FavouriteContext } from './rest-favourite.js';
import { answerReblog, answerUnreblog, type ReblogContext } from './rest-reblog.js';
import type { RestAnswer } from './rest-statuses.js';
import { answerUpdateStatus, type UpdateStatusContext } from './rest-update-status.js';

/** What the status writes need from the server. */
export interface StatusActionContext extends PostStatusContext, DeleteStatusContext, UpdateStatusContext, ReblogContext, FavouriteContext {}

/** The member actions of a status served here (config/routes/api.rb:18-19, :27-28): each answers POST only. */
const MEMBER_ACTIONS = {
  reblog: answerReblog,
  unreblog: answerUnreblog,
  favourite: answerFavourite,
  unfavourite: answerUnfavourite,
} as const;

/** The paths of the member actions, which {@link answerStatusAction} answers (an unknown route for any method but POST). */
export const STATUS_ACTION_PATH = /^\/api\/v1\/statuses\/([^/]+)\/(reblog|unreblog|favourite|unfavourite)$/;

const STATUS_PATH = /^\/api\/v1\/statuses\/([^/]+)$/;

/**
 * The answer to a status write Rails routes to Api::V1::StatusesController (config/routes/api.rb):
 * `POST /api/v1/statuses` (#create), `PUT`/`PATCH /api/v1/statuses/:id` (#update) and
 * `DELETE /api/v1/statuses/:id` (#destroy), and `POST /api/v1/statuses/:id/reblog`,
 * `/unreblog` (Statuses::ReblogsController), `/favourite` and `/unfavourite`
 * (Statuses::FavouritesController); `'unknown-route'` for another method on those
 * paths, which Rails routes nowhere; undefined for any other method and path, which the caller
 * answers (reads, or the unknown route).
 *
 * @example
 * answerStatusAction('DELETE', '/api/v1/statuses/109348', req.headers, query, body, context) // { status: 200, body: { … } }
 */
export function answerStatusAction(
  method: string | undefined,
  path: string,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  body: RailsParams,
  ctx: StatusActionContext,
): RestAnswer | 'unknown-route' | undefined {
  const member = STATUS_ACTION_PATH.exec(path);
  if (member?.[1] !== undefined && member[2] !== undefined) {
    if (method !== 'POST') return 'unknown-route';
    return MEMBER_ACTIONS[member[2] as keyof typeof MEMBER_ACTIONS](railsPathParam(member[1]), headers, query, body, ctx);
  }
  if (path === '/api/v1/statuses') return method === 'POST' ? answerPostStatus(headers, query, body, ctx) : undefined;
  const id = STATUS_PATH.exec(path)?.[1];
  if (id === undefined) return undefined;
  if (method === 'DELETE') return answerDeleteStatus(railsPathParam(id), headers, query, body, ctx);
  // `resources :statuses` routes both PUT and PATCH to #update.
  if (method === 'PUT' || method === 'PATCH') return answerUpdateStatus(railsPathParam(id), headers, query, body, ctx);
  return undefined;
}
