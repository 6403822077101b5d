// The objects a notification carries besides its sender, as Mastodon 4.5's serializers render them:
// the Poll of a `poll` notification's status, and what REST::NotificationSerializer attaches to the
// moderation types. Each kind has its own ids, counted from 1 per server, as each is a PostgreSQL
// bigserial row, not a snowflake.
import type { AccountWarningJson, PollJson, RelationshipSeveranceEventJson, ReportJson } from './entity-json.js';
import { KNOWN_ACCOUNTS, REMOTE_DOMAIN, accountForId, type AccountJson } from './identities.js';

/**
 * Per-server ids of the objects attached to notifications, one sequence per table. `isTaken` passes
 * over an id a test gave a row itself (a scripted poll's `id: '1'`), as PostgreSQL would never hand
 * out an id its table holds.
 */
export class AttachedObjectIds {
  private readonly last = new Map<string, number>();

  constructor(private readonly isTaken: (table: string, id: string) => boolean = () => false) {}

  next(table: string): string {
    let id = this.last.get(table) ?? 0;
    do id++;
    while (this.isTaken(table, String(id)));
    this.last.set(table, id);
    return String(id);
  }
}

// A poll notification is about an ended poll (PollExpirationNotifyWorker runs at its expires_at), so
// its results are shown (Poll#show_totals_now?): two options, three single-choice voters.
const OPTIONS = [
  { title: 'yes', votes_count: 2 },
  { title: 'no', votes_count: 1 },
] as const;

/**
 * An ended poll rendered for `readerId` (REST::PollSerializer): PollExpirationNotifyWorker notifies
 * the poll's author and its local voters. Poll#voted? is true for the author, who may not vote
 * (VoteValidator's self_vote), so its `own_votes` are empty; any other recipient voted, for the
 * first option.
 *
 * @example
 * endedPoll('1', '2026-11-28T11:19:28.000Z', '1002', '1001') // voted: true, own_votes: [0]
 */
export function endedPoll(id: string, expiresAt: string, authorId: string, readerId: string): PollJson {
  const votesCount = OPTIONS.reduce((sum, option) => sum + option.votes_count, 0);
  return {
    id,
    expires_at: expiresAt,
    expired: true,
    multiple: false,
    votes_count: votesCount,
    // A local poll counts its voters (PostStatusService starts it at 0); single choice: one vote each.
    voters_count: votesCount,
    voted: true,
    own_votes: readerId === authorId ? [] : [0],
    options: OPTIONS.map((option) => ({ ...option })),
    emojis: [],
  };
}

// Notification#set_from_account: these have no originating account, so Mastodon makes the recipient
// the sender (`account`). `annual_report` is one of 4.5's types, though nothing in 4.5 creates one.
const SENT_BY_RECIPIENT = new Set(['severed_relationships', 'moderation_warning', 'annual_report']);

/**
 * True for the types whose `account` is the recipient itself, the default sender of these.
 *
 * @example
 * sentByRecipient('moderation_warning') // true
 */
export function sentByRecipient(type: string): boolean {
  return SENT_BY_RECIPIENT.has(type);
}

/** What the attached objects are made of. */
export interface AttachedObjectSeed {
  readonly type: string;
  readonly createdAt: string;
  readonly sender: AccountJson;
  readonly recipientId: string;
}

interface AttachedKind {
  /** The Notification JSON key. */
  readonly key: string;
  /** The table whose ids it takes. */
  readonly table: string;
  readonly build: (id: string, seed: AttachedObjectSeed) => object;
}

// REST::NotificationSerializer's belongs_to with `if:` per type.
const ATTACHED: Readonly<Record<string, AttachedKind>> = {
  'admin.report': { key: 'report', table: 'reports', build: report },
  severed_relationships: { key: 'event', table: 'account_relationship_severance_events', build: severanceEvent },
  moderation_warning: { key: 'moderation_warning', table: 'account_warnings', build: accountWarning },
};

/**
 * The key REST::NotificationSerializer attaches to the type (`report`, `event`,
 * `moderation_warning`) with the fake's object for it, unless the test's `fields` give that key
 * (no id is spent then); nothing for other types. 4.5's `annual_report` gets nothing here: only the
 * grouped serializer (`/api/v2/notifications`) attaches one, and streaming sends the ungrouped one.
 *
 * @example
 * attachedObject({ type: 'admin.report', createdAt, sender: KNOWN_ACCOUNTS.bob, recipientId: '1001' }, {}, ids)
 * // { report: { id: '1', …, target_account: carol } }
 */
export function attachedObject(seed: AttachedObjectSeed, fields: Readonly<Record<string, unknown>>, ids: AttachedObjectIds): Record<string, unknown> {
  const attached = ATTACHED[seed.type];
  if (attached === undefined || Object.hasOwn(fields, attached.key)) return {};
  return { [attached.key]: attached.build(ids.next(attached.table), seed) };
}

/**
 * A new, unresolved report by the sender (ReportService, as the web form files it: category
 * `other`, its default, no comment, statuses or rules, `forward: false`) against an account that is
 * neither the reporter nor the moderator notified.
 */
function report(id: string, { createdAt, sender, recipientId }: AttachedObjectSeed): ReportJson {
  const candidates = [KNOWN_ACCOUNTS.carol, KNOWN_ACCOUNTS.bob, KNOWN_ACCOUNTS.alice];
  const target = candidates.find((account) => account.id !== sender.id && account.id !== recipientId) ?? KNOWN_ACCOUNTS.carol;
  return {
    id,
    action_taken: false,
    action_taken_at: null,
    category: 'other',
    comment: '',
    // ReportService: false for a local target; for a remote one the cast of the client's `forward`,
    // which the web form always sends (null when an API client leaves it out).
    forwarded: false,
    created_at: createdAt,
    status_ids: [],
    rule_ids: null,
    target_account: target,
  };
}

/**
 * The recipient's share of a moderator's block of the remote domain (BlockDomainService), which
 * severed one follow each way between the recipient and that domain.
 */
function severanceEvent(id: string, { createdAt }: AttachedObjectSeed): RelationshipSeveranceEventJson {
  return { id, type: 'domain_block', purged: false, target_name: REMOTE_DOMAIN, followers_count: 1, following_count: 1, created_at: createdAt };
}

/**
 * A moderator's plain warning to the recipient (Admin::AccountAction of type `none`, not from a
 * report, so no `status_ids`), not appealed.
 */
function accountWarning(id: string, { createdAt, recipientId }: AttachedObjectSeed): AccountWarningJson {
  return {
    id,
    action: 'none',
    text: 'Please keep to the server rules.',
    status_ids: null,
    created_at: createdAt,
    target_account: accountForId(recipientId),
    appeal: null,
  };
}
