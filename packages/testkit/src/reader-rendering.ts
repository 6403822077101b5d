import { renderForViewer } from './entities.js';
import type { StatusJson } from './entity-json.js';
import { railsKeywordPattern } from './keyword-expressions.js';
import { compileKeywordFilters, matchKeywordFilters, type KeywordFilterResult } from './keyword-filters.js';
import { accountIdOf, boostedStatusOf } from './status-parties.js';
import type { ViewerDirectory } from './viewers.js';

/**
 * The reader's keyword filter results for a status as Rails renders them
 * (Account#status_matches_filters, REST::FilterResultSerializer): unexpired filters, contexts not
 * checked, the first keyword match of each, searched in the boosted status's text for a boost
 * (`status.proper`), with Rails' Unicode-aware keyword expressions. Unlike the streaming server,
 * Rails writes `filter_action: "blur"`.
 *
 * @example
 * railsFilterResults(viewers, '1001', status) // [] while alice has no keyword filters
 */
export function railsFilterResults(viewers: ViewerDirectory, readerId: string, status: StatusJson, nowMs = Date.now()): KeywordFilterResult[] {
  const filters = viewers.settingsOf(readerId).keywordFilters;
  if (filters.length === 0) return [];
  const compiled = compileKeywordFilters(filters, nowMs, railsKeywordPattern).map((filter) => ({
    ...filter,
    // The streaming server's action list has no `blur`, so its summary lacks the key; Rails has it.
    summary: Object.hasOwn(filter.summary, 'filter_action') ? filter.summary : { ...filter.summary, filter_action: 'blur' },
  }));
  return matchKeywordFilters(compiled, boostedStatusOf(status) ?? status, nowMs);
}

/**
 * How Rails looks up the reader's interactions for a rendering. `batch`: a list answer (timelines,
 * notifications) preloads them per status id with StatusRelationshipsPresenter, whose boost map
 * is keyed by the boosted status, so an outer boost is never `reblogged`. `single`: a lone status
 * (GET or POST of one status, and every stream payload, which InlineRenderer renders without a
 * presenter) asks Account#reblogged?, which looks at `status.proper`, so the reader's own boost
 * is `reblogged` outside as well as inside.
 */
export type ReaderLookup = 'batch' | 'single';

/**
 * A status as REST::StatusSerializer renders it for a signed-in reader (REST answers, and what
 * Rails publishes to the reader's `user` and `list` streams and inside its notifications): the
 * viewer fields, then `filtered` with the reader's keyword filter results. A boost's nested
 * status is rendered for the same reader (the serializer recurses with the same scope): viewer
 * fields, `pinned` if it is the reader's own, and the same `filtered` results, since both are
 * matched on the boosted text. A status the reader holds a boost of (`viewers.boosts`, which the
 * store keeps) is `reblogged`, and one it favourited over REST (`viewers.favourites`)
 * `favourited`; other interactions are not modelled, so they stay false.
 *
 * @example
 * renderForReader(status, '1001', viewers, 'batch').filtered // []
 */
export function renderForReader(status: StatusJson, readerId: string, viewers: ViewerDirectory, lookup: ReaderLookup): StatusJson {
  const filtered = railsFilterResults(viewers, readerId, status);
  const boosted = boostedStatusOf(status);
  const favourited = (statusId: unknown): boolean => typeof statusId === 'string' && viewers.favourites.has(readerId, statusId);
  if (boosted === undefined) return renderForViewer(status, readerId, { filtered, favourited: favourited(status.id), reblogged: viewers.boosts.has(readerId, status.id) });
  const boostedByReader = accountIdOf(status.account) === readerId;
  const favouritedBoosted = favourited(boosted['id']);
  const reblogged = boostedByReader || (typeof boosted['id'] === 'string' && viewers.boosts.has(readerId, boosted['id']));
  const reblog = renderForViewer(boosted as StatusJson, readerId, { filtered, reblogged, favourited: favouritedBoosted });
  // Favourites, like boosts, are looked up on `status.proper` for a lone status and by the outer id in a list.
  return renderForViewer({ ...status, reblog }, readerId, { filtered, reblogged: reblogged && lookup === 'single', favourited: favouritedBoosted && lookup === 'single' });
}
