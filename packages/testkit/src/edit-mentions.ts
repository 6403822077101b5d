import type { StatusJson } from './entity-json.js';
import { isLocalStatus, type StoredStatus } from './fanout.js';
import { dropBlockedMentions } from './mention-drops.js';
import { mentionIdsOf } from './status-parties.js';
import type { ViewerDirectory } from './viewers.js';

/**
 * Stores `edited` in `stored` with the mentions Mastodon 4.5 keeps after an edit that changed
 * something. A mention the edited status no longer lists is not destroyed but made silent
 * (ProcessMentionsService#assign_mentions!, app/services/process_mentions_service.rb:86-90, for
 * a local status; ActivityPub::ProcessStatusUpdateService#update_mentions!,
 * app/services/activitypub/process_status_update_service.rb:248-253, for a remote one): REST and
 * streams render only active mentions (`active_mentions`, app/serializers/rest/status_serializer.rb:28, :165-166),
 * and nothing notifies or sends a `delete` to a silent one (`active_mentions` in
 * fan_out_on_write_service.rb:80 and remove_status_service.rb:87), but StatusPolicy#mention_exists?
 * reads every mention (app/policies/status_policy.rb:59-66), so the account may still see a
 * `private` or `direct` status. A mention the edit lists again is active again, and a local
 * author's mention of an account it now blocks is destroyed, silent or not (:56-60, :71-79).
 *
 * @example
 * storeEditMentions(stored, { ...stored.status, mentions: [] }, viewers) // bob's mention: silent
 */
export function storeEditMentions(stored: StoredStatus, edited: StatusJson, viewers: ViewerDirectory): void {
  const listed = new Set(mentionIdsOf(edited));
  const before = [...mentionIdsOf(stored.status), ...(stored.silentMentionIds ?? [])];
  const silent = new Set(before.filter((id) => !listed.has(id)));
  stored.status = isLocalStatus(stored) ? dropBlockedMentions(edited, edited.account.id, viewers) : edited;
  if (silent.size > 0 || stored.silentMentionIds !== undefined) stored.silentMentionIds = silent;
}
