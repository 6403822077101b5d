import type { AccountStanding } from './account-standing.js';
import type { StoredStatus } from './fanout.js';
import { isRubyPresent } from './ruby-strings.js';
import { mentionIdsOf } from './status-parties.js';
import type { ViewerDirectory } from './viewers.js';

/** What deciding who may read a status needs from the server. */
export interface VisibilityContext {
  viewers: ViewerDirectory;
  standing: AccountStanding;
}

/** `record.mentions` of StatusPolicy#mention_exists?: silent mentions too, those an edit took out of `mentions`. */
function mentionedIds(stored: StoredStatus): string[] {
  return [...mentionIdsOf(stored.status), ...(stored.silentMentionIds ?? [])];
}

function domainOf(acct: string): string | undefined {
  return acct.split('@')[1];
}

/**
 * Mastodon's StatusPolicy#show?, which `GET /api/v1/statuses/:id` applies (a refusal reads as
 * 404): nothing of a suspended author; `direct` only for its author and the accounts it
 * mentions (silently too); `private` also for followers; public and unlisted for anyone the author does not
 * block. The fake has no follow graph, so "follows the author" means the status sits in the
 * viewer's home feed (`homeOf`). `viewerId` undefined = anonymous or an app-only token.
 *
 * @example
 * policyAllowsShow(storedDirect, '1003', context) // false unless 1003 is its author or mentioned
 */
export function policyAllowsShow(stored: StoredStatus, viewerId: string | undefined, context: VisibilityContext): boolean {
  const { status } = stored;
  const authorId = status.account.id;
  if (context.standing.has(authorId, 'suspended')) return false;
  const owned = viewerId === authorId;
  const mentioned = viewerId !== undefined && mentionedIds(stored).includes(viewerId);
  if (status.visibility === 'direct') return owned || mentioned;
  if (status.visibility === 'private') return owned || mentioned || (viewerId !== undefined && stored.homeOf.has(viewerId));
  return viewerId === undefined || !context.viewers.settingsOf(authorId).blocks.includes(viewerId);
}

/**
 * Mastodon's StatusFilter#filtered?, which `GET /api/v1/statuses?id[]=…` applies to each status
 * (Status.permitted_statuses_from_ids): the viewer's own statuses always pass; the others must
 * pass {@link policyAllowsShow}, and for a signed-in viewer their author must not be blocked,
 * muted or on a blocked domain. Silenced (limited) accounts are not modelled.
 *
 * @example
 * isFilteredFor(storedByBob, '1001', context) // true once server.viewer('1001').mute('1002')
 */
export function isFilteredFor(stored: StoredStatus, viewerId: string | undefined, context: VisibilityContext): boolean {
  const authorId = stored.status.account.id;
  if (viewerId !== undefined && viewerId === authorId) return false;
  if (!policyAllowsShow(stored, viewerId, context)) return true;
  if (viewerId === undefined) return false;
  const settings = context.viewers.settingsOf(viewerId);
  const domain = domainOf(stored.status.account.acct);
  return settings.blocks.includes(authorId) || settings.mutes.includes(authorId) || (domain !== undefined && settings.domainBlocks.includes(domain));
}

/**
 * StatusPolicy#reblog? and #favourite? (app/policies/status_policy.rb:27-33) for a signed-in
 * account: both need {@link policyAllowsShow} and that the account does not block the author
 * (`blocking_author?`); a boost also needs a status that is neither `direct` nor (unless it is
 * the account's own) `private`.
 *
 * @example
 * policyAllowsInteraction(storedPrivate, '1002', 'reblog', context) // false: bob may see alice's private status, not boost it
 */
export function policyAllowsInteraction(stored: StoredStatus, accountId: string, action: 'reblog' | 'favourite', context: VisibilityContext): boolean {
  const { status } = stored;
  const owned = status.account.id === accountId;
  if (action === 'reblog' && (status.visibility === 'direct' || (status.visibility === 'private' && !owned))) return false;
  return policyAllowsShow(stored, accountId, context) && !context.viewers.settingsOf(accountId).blocks.includes(status.account.id);
}

/** Status::Visibility's enum in its order (app/models/concerns/status/visibility.rb:7-10: `public: 0` … `limited: 4`). */
const ENUM_ORDER = ['public', 'unlisted', 'private', 'direct', 'limited'] as const;

/** Status::Visibility's enum values (app/models/concerns/status/visibility.rb:7-10); any other text fails its validation. */
export const STATUS_VISIBILITY_VALUES: ReadonlySet<string> = new Set(ENUM_ORDER);

/**
 * What Rails' EnumType#cast (activerecord/lib/active_record/enum.rb) makes of a value handed to
 * the visibility enum as it is, not turned into text first (ReblogService does so): a name stays
 * itself, an integer the enum maps becomes its name (`2` is `private`), a blank text is nil
 * (`value.presence`; `undefined` here), and anything else stays as given, for the enum's
 * validation to refuse.
 *
 * @example
 * castVisibility(2) // 'private'
 * castVisibility(' ') // undefined
 */
export function castVisibility(given: unknown): unknown {
  if (typeof given === 'number' && Number.isInteger(given) && given >= 0 && given < ENUM_ORDER.length) return ENUM_ORDER[given];
  if (typeof given === 'string' && !isRubyPresent(given)) return undefined;
  return given;
}
