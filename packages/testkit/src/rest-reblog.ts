import type { IncomingHttpHeaders } from 'node:http';
import { boostedIdOf } from './status-parties.js';
import type { ContentStore } from './content-store.js';
import type { StatusJson } from './entity-json.js';
import { isLocalAcct } from './identities.js';
import { recordInteraction } from './interaction-counts.js';
import type { NotifyOptions } from './notify-options.js';
import type { RailsParams } from './rails-params.js';
import { renderForReader } from './reader-rendering.js';
import { readFields } from './rest-post-status.js';
import { NOT_FOUND, type RestAnswer } from './rest-statuses.js';
import { statusWriter, type StatusWriterContext } from './rest-status-writer.js';
import type { PostStatusOptions } from './status-options.js';
import type { StatusOverrides } from './status-overrides.js';
import { STATUS_VISIBILITY_VALUES, castVisibility, policyAllowsInteraction, policyAllowsShow, type VisibilityContext } from './status-visibility.js';

/** What the boost endpoints need from the server. */
export interface ReblogContext extends StatusWriterContext, VisibilityContext {
  store: ContentStore;
  /** Creates, stores and fans out a status, as `FakeMastodon.postStatus` does. */
  postStatus: (partial: StatusOverrides, options: PostStatusOptions, sensitiveAsGiven?: boolean) => StatusJson;
  deleteStatus: (id: string) => boolean;
  /** Makes, stores and streams a notification, as `FakeMastodon.notify` does (counting a boost or favourite). */
  notify: (accountId: string, options: NotifyOptions) => unknown;
}


/**
 * Answers `POST /api/v1/statuses/:id/reblog` as Api::V1::Statuses::ReblogsController#create and
 * ReblogService do (app/controllers/api/v1/statuses/reblogs_controller.rb:7-20, :45-50;
 * app/services/reblog_service.rb:14-39): the write token and user, 404 `Record not found` for a
 * status that does not exist or that the account may not see (StatusPolicy#show?), a boost's id
 * standing for the status it boosts, then 403 `This action is not allowed` where
 * StatusPolicy#reblog? refuses (someone else's `private` status, any `direct` one, an author the
 * account blocks). The account's existing boost of the status is answered as it is, nothing
 * made again. Otherwise the boost is posted as `postStatus({ reblog }, { account })` posts one
 * (`update` to the homes, as DistributionWorker sends a boost), with the status's visibility when
 * it is `private`, else the `visibility` parameter as the enum casts it (a JSON number by its
 * place, `2` being `private`; `public` when left out: the fake's accounts keep the default
 * privacy; a blank one takes the status's; an unknown one is 422), and the author, if local, gets the
 * `reblog` notification as from `notify`, which raises `reblogs_count` (a remote author's status
 * is counted without one). The answer is the boost, rendered for the account.
 *
 * @example
 * answerReblog('109348', req.headers, query, {}, context) // { status: 200, body: { reblog: { id: '109348', reblogged: true, … }, … } }
 */
export function answerReblog(id: string, headers: IncomingHttpHeaders, query: URLSearchParams, body: RailsParams, ctx: ReblogContext): RestAnswer {
  const writer = statusWriter(headers, query, body, ctx);
  if (!('accountId' in writer)) return writer;
  const found = ctx.store.getStatus(id);
  if (!found || !policyAllowsShow(found, writer.accountId, ctx)) return NOT_FOUND;
  // ReblogService boosts the boosted status (:15); one only attached to the boost is not stored.
  const proper = ctx.store.properOf(found);
  if (!proper) return NOT_FOUND;
  if (!policyAllowsInteraction(proper, writer.accountId, 'reblog', ctx)) return { status: 403, body: { error: 'This action is not allowed' } };
  const existing = boostOf(ctx.store, writer.accountId, proper.status.id);
  if (existing) return { status: 200, body: renderForReader(withCurrentReblog(existing, ctx.store), writer.accountId, ctx.viewers, 'single') };
  const visibility = boostVisibility(proper.status, readFields(query, body)['visibility']);
  if (typeof visibility !== 'string' || !STATUS_VISIBILITY_VALUES.has(visibility)) return { status: 422, body: { error: 'Validation failed: Visibility is not included in the list' } };
  // Status::Visibility refuses a direct or limited boost (app/models/concerns/status/visibility.rb:16).
  if (visibility === 'direct' || visibility === 'limited') return { status: 422, body: { error: 'Validation failed: Visibility is reserved' } };
  // The counter cache is raised as the boost is created, so the boost carries the new count.
  const counted = { ...proper.status, reblogs_count: proper.status.reblogs_count + 1 };
  const boost = ctx.postStatus({ reblog: counted }, { account: writer.account, visibility: visibility as NonNullable<PostStatusOptions['visibility']> });
  const interaction = { type: 'reblog', from: writer.account, recipientId: proper.status.account.id };
  if (isLocalAcct(proper.status.account.acct)) ctx.notify(proper.status.account.id, { type: 'reblog', status: proper.status, fromAccount: writer.account });
  else recordInteraction(ctx.store, ctx.viewers, interaction, proper.status, { madeUp: false });
  return { status: 200, body: renderForReader(withCurrentReblog(boost, ctx.store), writer.accountId, ctx.viewers, 'single') };
}

/**
 * Answers `POST /api/v1/statuses/:id/unreblog` as ReblogsController#destroy does (:22-41): the
 * account's boost of the status with that id (not the boost's own id) is removed as
 * `deleteStatus` removes it (`delete` to the homes it reached) and the status's `reblogs_count`
 * goes down by one; without such a boost, the status must exist and be visible (else 404). Either
 * way the answer is the boosted status, `reblogged: false`, with the count as it now is; without a
 * boost it is also `favourited: false` and `filtered: []`, as the presenter Rails renders it with
 * then holds nothing of the reader's.
 *
 * @example
 * answerUnreblog('109348', req.headers, query, {}, context) // { status: 200, body: { id: '109348', reblogged: false, … } }
 */
export function answerUnreblog(id: string, headers: IncomingHttpHeaders, query: URLSearchParams, body: RailsParams, ctx: ReblogContext): RestAnswer {
  const writer = statusWriter(headers, query, body, ctx);
  if (!('accountId' in writer)) return writer;
  const boost = boostOf(ctx.store, writer.accountId, id);
  const stored = ctx.store.getStatus(id);
  if (boost) {
    // Removed as deleteStatus removes a boost, which lowers the boosted status's count.
    ctx.deleteStatus(boost.id);
    const boosted = ctx.store.getStatus(id)?.status ?? (boost.reblog as StatusJson);
    return { status: 200, body: { ...renderForReader(boosted, writer.accountId, ctx.viewers, 'single'), reblogged: false } };
  }
  if (!stored || !policyAllowsShow(stored, writer.accountId, ctx)) return NOT_FOUND;
  // The presenter gets `[@status]`, here [nil] (:37), which it compacts to nothing: its maps are empty, so the
  // serializer reads `favourites_map[id] || false` and `filters_map[id] || []` whatever the reader did.
  const rendered = renderForReader(stored.status, writer.accountId, ctx.viewers, 'single');
  return { status: 200, body: { ...rendered, reblogged: false, favourited: false, filtered: [] } };
}

/** `account.statuses.find_by(reblog: status)`: the account's stored boost of the status, if any. */
function boostOf(store: ContentStore, accountId: string, statusId: string): StatusJson | undefined {
  return store.statusesBy(accountId).find((stored) => boostedIdOf(stored.status) === statusId)?.status;
}

/** The boost with its boosted status as stored now, as Rails loads it for the answer (counts included). */
function withCurrentReblog(boost: StatusJson, store: ContentStore): StatusJson {
  const current = store.getStatus(String((boost.reblog as { id: unknown }).id));
  return current ? { ...boost, reblog: current.status } : boost;
}

// ReblogService's visibility (:23-27): a hidden (private) status's own; else the parameter, or the default privacy.
function boostVisibility(status: StatusJson, param: unknown): unknown {
  if (status.visibility !== 'public' && status.visibility !== 'unlisted') return status.visibility;
  // `options[:visibility] || default_privacy`: left out, false, or an array or hash (which `permit` drops) is the default.
  if (param === undefined || param === null || param === false || typeof param === 'object') return 'public';
  // The enum casts what it is given (a JSON number too); nil from a blank text, and set_visibility takes the boosted status's.
  return castVisibility(param) ?? status.visibility;
}
