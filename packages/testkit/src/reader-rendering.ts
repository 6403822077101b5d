import { renderForViewer, type StatusJson } from './entities.js';
import { compileKeywordFilters, matchKeywordFilters, type KeywordFilterResult } from './keyword-filters.js';
import { boostedStatusOf } from './status-parties.js';
import type { ViewerDirectory } from './viewers.js';

/**
 * The reader's keyword filter results for a status as Rails renders them
 * (Account#status_matches_filters, REST::FilterResultSerializer): unexpired filters, contexts not
 * checked, the first keyword match of each, searched in the boosted status's text for a boost
 * (`status.proper`). Unlike the streaming server, Rails writes `filter_action: "blur"`.
 *
 * @example
 * railsFilterResults(viewers, '1001', status) // [] while alice has no keyword filters
 */
export function railsFilterResults(viewers: ViewerDirectory, readerId: string, status: StatusJson, nowMs = Date.now()): KeywordFilterResult[] {
  const filters = viewers.settingsOf(readerId).keywordFilters;
  if (filters.length === 0) return [];
  const compiled = compileKeywordFilters(filters, nowMs).map((filter) => ({
    ...filter,
    // The streaming server's action list has no `blur`, so its summary lacks the key; Rails has it.
    summary: Object.hasOwn(filter.summary, 'filter_action') ? filter.summary : { ...filter.summary, filter_action: 'blur' },
  }));
  return matchKeywordFilters(compiled, boostedStatusOf(status) ?? status, nowMs);
}

/**
 * A status as REST::StatusSerializer renders it for a signed-in reader (REST answers, and what
 * Rails publishes to the reader's `user` and `list` streams and inside its notifications): the
 * viewer fields, then `filtered` with the reader's keyword filter results.
 *
 * @example
 * renderForReader(status, '1001', viewers).filtered // []
 */
export function renderForReader(status: StatusJson, readerId: string, viewers: ViewerDirectory): StatusJson {
  return renderForViewer(status, readerId, railsFilterResults(viewers, readerId, status));
}
