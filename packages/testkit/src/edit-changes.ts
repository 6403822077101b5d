import { isDeepStrictEqual } from 'node:util';
import type { StatusJson } from './entity-json.js';

/**
 * Whether an edit's `changes` (undefined fields already dropped) would change the stored status,
 * as UpdateStatusService#significant_changes? decides (Mastodon 4.5,
 * app/services/update_status_service.rb:113-125 and :170-172): the edit counts only when a field
 * ends up different from what the status has. Otherwise it raises NoChangesSubmittedError
 * (:121), which rolls the edit back and is swallowed (:40-44): no `edited_at`, no
 * DistributionWorker, no fan-out, and the controller renders the status as it was
 * (app/controllers/api/v1/statuses_controller.rb:105-122).
 * The fake's fields stand in for what 4.5 compares (`content` for the text, `spoiler_text`,
 * `sensitive`, `language`, `media_attachments`, `poll`, …) and are compared whole; `id` is never
 * edited, and `edited_at` only dates an edit that changes something, as 4.5 sets it after the
 * check (:123), never from the request.
 *
 * @example
 * editChangesStatus(stored.status, { content: stored.status.content }) // false: nothing to edit
 */
export function editChangesStatus(stored: StatusJson, changes: Readonly<Record<string, unknown>>): boolean {
  const current = stored as unknown as Readonly<Record<string, unknown>>;
  return Object.entries(changes).some(([key, value]) => key !== 'id' && key !== 'edited_at' && !isDeepStrictEqual(current[key], value));
}
