import type { ContentStore } from './content-store.js';
import type { StatusJson } from './entity-json.js';
import { renderForReader, type ReaderLookup } from './reader-rendering.js';
import { compareIds } from './snowflake.js';
import { isFilteredFor, policyAllowsShow, type VisibilityContext } from './status-visibility.js';
import { rubyToI } from './ruby-strings.js';

/** What the status reads need from the server. */
export interface StatusReadContext extends VisibilityContext {
  store: ContentStore;
}

/** A REST answer: HTTP status and the JSON body. */
export interface RestAnswer {
  status: number;
  body: unknown;
}

/** Api::BaseController's DEFAULT_STATUSES_LIMIT, which `check_statuses_limit` compares with. */
export const MAX_STATUSES_BY_ID = 20;

/** Rails' answer for a record the caller may not see or that does not exist (ActiveRecord::RecordNotFound). */
export const NOT_FOUND: RestAnswer = { status: 404, body: { error: 'Record not found' } };

/**
 * The ids `GET /api/v1/statuses` asks for, as the controller reads them
 * (`Array(params.permit(id: [])[:id]).uniq.map(&:to_i)`): only the array form `id[]=` counts (a
 * bare `id=` is dropped by `permit`), duplicates go before `to_i`, so `1` and `01` count twice.
 *
 * @example
 * requestedStatusIds(new URLSearchParams('id[]=7&id[]=7&id[]=x')) // ['7', '0']
 */
export function requestedStatusIds(query: URLSearchParams): string[] {
  return [...new Set(query.getAll('id[]'))].map(rubyToI);
}

function render(status: StatusJson, viewerId: string | undefined, context: StatusReadContext, lookup: ReaderLookup): StatusJson {
  return viewerId === undefined ? status : renderForReader(status, viewerId, context.viewers, lookup);
}

/**
 * Answers `GET /api/v1/statuses?id[]=…` (Mastodon 4.3+, Api::V1::StatusesController#index) once
 * the token passed `authorize_if_got_token!`: more than {@link MAX_STATUSES_BY_ID} distinct ids is
 * 422 `Mastodon::ValidationError`; otherwise 200 with the statuses that exist and that the viewer
 * may see ({@link isFilteredFor}), unknown and hidden ones left out without a word. Mastodon
 * sorts nothing (`WHERE id IN (…)`, which Postgres returns in id order); the fake returns them
 * oldest first, as that does. `viewerId` undefined = anonymous.
 *
 * @example
 * answerStatusesById(new URLSearchParams('id[]=1&id[]=2'), '1001', context) // { status: 200, body: [status 1] }
 */
export function answerStatusesById(query: URLSearchParams, viewerId: string | undefined, context: StatusReadContext): RestAnswer {
  const ids = requestedStatusIds(query);
  if (ids.length > MAX_STATUSES_BY_ID) return { status: 422, body: { error: 'Mastodon::ValidationError' } };
  const visible = [...new Set(ids)]
    .flatMap((id) => {
      const stored = context.store.getStatus(id);
      return stored && !isFilteredFor(stored, viewerId, context) ? [stored.status] : [];
    })
    .sort((left, right) => compareIds(left.id, right.id));
  return { status: 200, body: visible.map((status) => render(status, viewerId, context, 'batch')) };
}

/**
 * Answers `GET /api/v1/statuses/:id` (#show): 404 `Record not found` for an unknown status and
 * for one StatusPolicy#show? refuses the viewer ({@link policyAllowsShow}), as Mastodon hides
 * what exists from who may not see it.
 *
 * @example
 * answerStatus('109348', undefined, context) // { status: 404, … } for a private status
 */
export function answerStatus(id: string, viewerId: string | undefined, context: StatusReadContext): RestAnswer {
  const stored = context.store.getStatus(id);
  if (!stored || !policyAllowsShow(stored, viewerId, context)) return NOT_FOUND;
  return { status: 200, body: render(stored.status, viewerId, context, 'single') };
}
