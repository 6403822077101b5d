import type { IncomingHttpHeaders } from 'node:http';
import type { ContentStore } from './content-store.js';
import { isLocalAcct } from './identities.js';
import { lowerCount, recordInteraction } from './interaction-counts.js';
import type { NotifyOptions } from './notify-options.js';
import type { RailsParams } from './rails-params.js';
import { renderForReader } from './reader-rendering.js';
import { NOT_FOUND, type RestAnswer } from './rest-statuses.js';
import { statusWriter, type StatusWriterContext } from './rest-status-writer.js';
import { policyAllowsInteraction, policyAllowsShow, type VisibilityContext } from './status-visibility.js';

/** What the favourite endpoints need from the server. */
export interface FavouriteContext extends StatusWriterContext, VisibilityContext {
  store: ContentStore;
  /** Makes, stores and streams a notification, as `FakeMastodon.notify` does (counting a boost or favourite). */
  notify: (accountId: string, options: NotifyOptions) => unknown;
}

/** Api::V1::Statuses::FavouritesController's `doorkeeper_authorize! :write, :'write:favourites'` (:4): not `write:statuses`. */
const WRITE_FAVOURITES = ['write', 'write:favourites'];

/**
 * Answers `POST /api/v1/statuses/:id/favourite` as Api::V1::Statuses::FavouritesController#create
 * and FavouriteService do (app/controllers/api/v1/statuses/favourites_controller.rb:4-11,
 * app/controllers/api/v1/statuses/base_controller.rb:10-15, app/services/favourite_service.rb:11-26):
 * a token with `write` or `write:favourites` and a user, 404 `Record not found` for a status that
 * does not exist or that the account may not see, 403 `This action is not allowed` when the
 * account blocks the author (StatusPolicy#favourite?). A boost's favourite goes to the status it
 * boosts (Favourite's before_validation), and a second one through the boost is 422 `Validation
 * failed: Status has already been taken`, as 4.5 answers it. A second favourite of the status
 * itself changes nothing. A new
 * one is recorded (renderings for the account show `favourited: true` from then on), and the
 * author, if local, gets the `favourite` notification as from `notify`, which raises
 * `favourites_count` (a remote author's status is counted without one). Nothing is streamed for
 * the count. The answer is the status (the one asked for: a boost stays a boost), rendered for the account.
 *
 * @example
 * answerFavourite('109348', req.headers, query, {}, context) // { status: 200, body: { id: '109348', favourited: true, … } }
 */
export function answerFavourite(id: string, headers: IncomingHttpHeaders, query: URLSearchParams, body: RailsParams, ctx: FavouriteContext): RestAnswer {
  const writer = statusWriter(headers, query, body, ctx, WRITE_FAVOURITES);
  if (!('accountId' in writer)) return writer;
  const stored = ctx.store.getStatus(id);
  if (!stored || !policyAllowsShow(stored, writer.accountId, ctx)) return NOT_FOUND;
  if (!policyAllowsInteraction(stored, writer.accountId, 'favourite', ctx)) return { status: 403, body: { error: 'This action is not allowed' } };
  // Favourite's before_validation moves a favourite of a boost to the boosted status (app/models/favourite.rb:27-29).
  const proper = ctx.store.properOf(stored);
  if (!proper) return NOT_FOUND;
  const isNew = ctx.viewers.favourites.add(writer.accountId, proper.status.id);
  // FavouriteService looks for a favourite of the boost itself, finds none, and the moved one then fails its uniqueness validation (:14).
  if (!isNew && proper !== stored) return { status: 422, body: { error: 'Validation failed: Status has already been taken' } };
  if (isNew) {
    const { account } = proper.status;
    if (isLocalAcct(account.acct)) ctx.notify(account.id, { type: 'favourite', status: proper.status, fromAccount: writer.account });
    else recordInteraction(ctx.store, ctx.viewers, { type: 'favourite', from: writer.account, recipientId: account.id }, proper.status, { madeUp: false });
  }
  return { status: 200, body: renderForReader(stored.status, writer.accountId, ctx.viewers, 'single') };
}

/**
 * Answers `POST /api/v1/statuses/:id/unfavourite` as FavouritesController#destroy does (:13-30):
 * the account's favourite of the status is removed and its `favourites_count` goes down by one;
 * without one, the status must exist and be visible (else 404). Either way the answer is the
 * status with `favourited: false` and the count as it now is. The author's `favourite`
 * notification goes with the favourite, unstreamed ({@link dropFavouriteNotification}).
 *
 * @example
 * answerUnfavourite('109348', req.headers, query, {}, context) // { status: 200, body: { id: '109348', favourited: false, … } }
 */
export function answerUnfavourite(id: string, headers: IncomingHttpHeaders, query: URLSearchParams, body: RailsParams, ctx: FavouriteContext): RestAnswer {
  const writer = statusWriter(headers, query, body, ctx, WRITE_FAVOURITES);
  if (!('accountId' in writer)) return writer;
  const stored = ctx.store.getStatus(id);
  if (ctx.viewers.favourites.remove(writer.accountId, id)) {
    // The favourite outlives its status in the fake, as a deleted status's row is gone in 4.5 with it.
    if (!stored) return NOT_FOUND;
    lowerCount(ctx.store, ctx.viewers, id, 'favourites_count');
    dropFavouriteNotification(stored.status.account.id, writer.accountId, id, ctx.store);
  } else if (!stored || !policyAllowsShow(stored, writer.accountId, ctx)) return NOT_FOUND;
  // The presenter's `favourites_map: { id => false }` (:27) says false even for a boost whose boosted status the account favourited.
  return { status: 200, body: { ...renderForReader(stored.status, writer.accountId, ctx.viewers, 'single'), favourited: false } };
}

/**
 * UnfavouriteService destroys the favourite (app/services/unfavourite_service.rb:6-8), and its
 * notification with it (`has_one :notification, as: :activity, dependent: :destroy`,
 * app/models/favourite.rb:23): gone from the author's notifications. Notification's only destroy
 * callback (app/models/notification.rb:201, :225-228) reconsiders a notification request and
 * publishes nothing, so no stream hears of it.
 */
function dropFavouriteNotification(authorId: string, favouriterId: string, statusId: string, store: ContentStore): void {
  store.deleteNotifications(authorId, (notification) => notification.type === 'favourite' && notification.account.id === favouriterId && notification.status?.id === statusId);
}
