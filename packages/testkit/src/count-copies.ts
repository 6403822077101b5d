import type { ContentStore } from './content-store.js';
import type { StatusJson } from './entity-json.js';
import { renderForReader } from './reader-rendering.js';
import type { ViewerDirectory } from './viewers.js';

/**
 * After a stored status's `favourites_count` or `reblogs_count` changed (a favourite or boost made
 * or undone): 4.5 renders a status from its row wherever it shows it (the counts from its
 * StatusStat, app/models/status.rb:324-342), so a boost's `reblog`, a quote's `quoted_status`, a
 * notification's `status` and a conversation's `last_status` served later all show the new count.
 * The fake holds copies, which this replaces as an edit does (ContentStore#replaceCopiesOf),
 * notifications' and conversations' rendered for their owner. Nothing is streamed.
 *
 * @example
 * refreshCopiesOf(stored.status, store, viewers) // GET of a boost of it now shows the count
 */
export function refreshCopiesOf(status: StatusJson, store: ContentStore, viewers: ViewerDirectory): void {
  store.replaceCopiesOf(status, (reader) => renderForReader(status, reader, viewers, 'single'));
}
