import type { IncomingHttpHeaders } from 'node:http';
import { railsPathParam } from './rails-bad-path.js';
import type { RailsParams } from './rails-params.js';
import { answerDeleteStatus, type DeleteStatusContext } from './rest-delete-status.js';
import { answerPostStatus, type PostStatusContext } from './rest-post-status.js';
import type { RestAnswer } from './rest-statuses.js';
import { answerUpdateStatus, type UpdateStatusContext } from './rest-update-status.js';

/** What the status writes need from the server. */
export interface StatusActionContext extends PostStatusContext, DeleteStatusContext, UpdateStatusContext {}

const STATUS_PATH = /^\/api\/v1\/statuses\/([^/]+)$/;

/**
 * The answer to a status write Rails routes to Api::V1::StatusesController (config/routes/api.rb):
 * `POST /api/v1/statuses` (#create), `PUT`/`PATCH /api/v1/statuses/:id` (#update) and
 * `DELETE /api/v1/statuses/:id` (#destroy); undefined for
 * any other method and path, which the caller answers (reads, or the unknown route).
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
): RestAnswer | undefined {
  if (path === '/api/v1/statuses') return method === 'POST' ? answerPostStatus(headers, query, body, ctx) : undefined;
  const id = STATUS_PATH.exec(path)?.[1];
  if (id === undefined) return undefined;
  if (method === 'DELETE') return answerDeleteStatus(railsPathParam(id), headers, query, body, ctx);
  // `resources :statuses` routes both PUT and PATCH to #update.
  if (method === 'PUT' || method === 'PATCH') return answerUpdateStatus(railsPathParam(id), headers, query, body, ctx);
  return undefined;
}
