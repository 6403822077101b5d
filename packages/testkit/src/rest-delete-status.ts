import type { IncomingHttpHeaders } from 'node:http';
import type { ContentStore } from './content-store.js';
import { renderForReader } from './reader-rendering.js';
import type { RailsParams } from './rails-params.js';
import { NOT_FOUND, type RestAnswer } from './rest-statuses.js';
import { statusWriter, type StatusWriterContext } from './rest-status-writer.js';
import type { SourceTexts } from './source-texts.js';
import type { VisibilityContext } from './status-visibility.js';

/** What `DELETE /api/v1/statuses/:id` needs from the server. */
export interface DeleteStatusContext extends StatusWriterContext, VisibilityContext {
  store: ContentStore;
  sourceTexts: SourceTexts;
  /** Removes the status and streams `delete`, as `FakeMastodon.deleteStatus` does. */
  deleteStatus: (id: string) => boolean;
}

/**
 * Answers `DELETE /api/v1/statuses/:id` as Api::V1::StatusesController#destroy does
 * (app/controllers/api/v1/statuses_controller.rb:125-138): after the write token and the user
 * ({@link statusWriter}), the status is looked up among the caller's own
 * (`Status.where(account: current_account).find`, :126), so another account's status, or one
 * that does not exist, is 404 `Record not found` alike, never 403 (StatusPolicy#destroy? then
 * always passes, app/policies/status_policy.rb:35-37). The answer is the status rendered for its
 * author before it goes, with its source (`source_requested: true`, :129): `text` instead of
 * `content` ({@link SourceTexts}). Its removal (RemovalWorker's RemoveStatusService) is the
 * scripted `deleteStatus`: `delete` with the bare id wherever it went. A boost of one's own is a
 * status of one's own, so it can be deleted too.
 *
 * @example
 * answerDeleteStatus('109348', req.headers, query, {}, context) // { status: 200, body: { id: '109348', text: 'hi', … } }
 */
export function answerDeleteStatus(id: string, headers: IncomingHttpHeaders, query: URLSearchParams, body: RailsParams, ctx: DeleteStatusContext): RestAnswer {
  const writer = statusWriter(headers, query, body, ctx);
  if (!('accountId' in writer)) return writer;
  const stored = ctx.store.getStatus(id);
  if (!stored || stored.status.account.id !== writer.accountId) return NOT_FOUND;
  const answer = ctx.sourceTexts.withSource(renderForReader(stored.status, writer.accountId, ctx.viewers, 'single'));
  ctx.deleteStatus(id);
  return { status: 200, body: answer };
}
