import type { ContentStore } from './content-store.js';
import { ConversationHistory } from './conversation-history.js';
import { buildConversation } from './entities.js';
import type { ConversationJson, ConversationOverrides, StatusJson } from './entity-json.js';
import { KNOWN_ACCOUNTS, accountForId, type AccountJson } from './identities.js';
import { renderForReader } from './reader-rendering.js';
import { compareIds, type SnowflakeGenerator } from './snowflake.js';
import { mentionIdsOf } from './status-parties.js';
import type { ViewerDirectory } from './viewers.js';

/** What the conversations of an account need from their server. */
export interface DirectConversationParts {
  readonly store: ContentStore;
  readonly viewers: ViewerDirectory;
  /** The server's status ids: a conversation with no last status is paged by a fresh one. */
  readonly statusIds: SnowflakeGenerator;
  /** Streams the conversation on the account's `direct` stream (PushConversationWorker). */
  readonly push: (accountId: string, conversation: ConversationJson) => void;
}

/**
 * The conversations of the server's accounts: scripted with `conversation()`, or made by posting `direct`
 * statuses as Mastodon 4.5's AccountConversation keeps them: one per recipient, thread (the status's Conversation) and participants (everyone the status
 * mentions, and its author, but the recipient), holding the ids of the statuses added to it, its
 * `last_status` the newest of them. Deleting a status takes it out through the shared history,
 * as AccountConversation.remove_status does for scripted and posted conversations alike.
 */
export class DirectConversations {
  /** Status id → the thread (Mastodon's `conversation_id`) it belongs to. */
  private readonly threads = new Map<string, string>();
  private threadSeq = 0;
  /** [recipient, thread, participants] → the AccountConversation's id. */
  private readonly keys = new Map<string, string>();
  private conversationSeq = 0;
  private readonly history = new ConversationHistory();

  constructor(private readonly parts: DirectConversationParts) {}

  /** `conversation()`: stores and streams the conversation as the test gives it. */
  script(accountId: string, partial: ConversationOverrides): ConversationJson {
    const id = typeof partial.id === 'string' ? partial.id : this.nextId();
    const conversation = buildConversation(id, [KNOWN_ACCOUNTS.bob], null, partial);
    // A JavaScript caller can pass a last_status without an id: the conversation is then paged as new.
    const lastStatusId: unknown = conversation.last_status?.id;
    const cursor = typeof lastStatusId === 'string' ? lastStatusId : this.parts.statusIds.next();
    this.parts.store.putConversation(accountId, { id: cursor, conversation });
    this.history.record(accountId, id, conversation.last_status);
    this.parts.push(accountId, conversation);
    return conversation;
  }

  /**
   * Status#unlink_from_conversations! for a deleted `direct` status, as it is now (`silentMentionIds`: the
   * mentions an edit dropped): each conversation it unlinks from (see {@link unlinksFrom}) whose newest message
   * it was is stored and streamed at the newest one left (its `unread` unchanged), or, with none left,
   * destroyed. One whose newest message it was not is streamed as it is: remove_status saves it all the
   * same (its `status_ids` changed), and the after_commit push follows (app/models/account_conversation.rb:87-104,
   * :23, :119-123). A conversation it does not find keeps the deleted status: as its newest, REST then
   * shows `last_status: null` (the row is gone), and nothing is streamed.
   */
  removeStatus(status: StatusJson, silentMentionIds: ReadonlySet<string> = new Set()): void {
    for (const { accountId, conversationId, newest, unlinked, wasNewest } of this.history.removeStatus(status.id, this.unlinksFrom(status, silentMentionIds))) {
      const { store } = this.parts;
      const current = store.conversationsOf(accountId).find((stored) => stored.conversation.id === conversationId);
      if (current === undefined) continue;
      if (!wasNewest) {
        this.parts.push(accountId, current.conversation);
        continue;
      }
      if (newest === undefined) {
        store.deleteConversations(accountId, (stored) => stored === current);
        continue;
      }
      const conversation = { ...current.conversation, last_status: newest.status };
      store.putConversation(accountId, { id: newest.id, conversation });
      if (unlinked) this.parts.push(accountId, conversation);
    }
  }

  /**
   * Which conversations Mastodon 4.5 takes a deleted status out of (app/models/status.rb:406-415,
   * app/models/account_conversation.rb:87-108): for its author and every account it mentions, silently
   * (an edit dropped it) or not, only the one conversation of that account, thread and participants as
   * the status's *active* mentions make them now. A conversation made when an edit had not yet added
   * or dropped someone has other participants, so it is not found and keeps the status. A scripted
   * conversation (`conversation()`) has no participants to match, and is always unlinked. The owners
   * check is not implied by the key: an account whose mention an edit destroyed (the author blocked it
   * since) still has a conversation whose key matches, but is no inbox owner, so it keeps the status.
   */
  private unlinksFrom(status: StatusJson, silentMentionIds: ReadonlySet<string>): (accountId: string, conversationId: string) => boolean {
    const owners = new Set([status.account.id, ...mentionIdsOf(status), ...silentMentionIds]);
    const posted = new Set(this.keys.values());
    const thread = this.threads.get(status.id) ?? '';
    return (accountId, conversationId) => {
      if (!posted.has(conversationId)) return true;
      const key = JSON.stringify([accountId, thread, participantsOf(accountId, status).map((account) => account.id)]);
      return owners.has(accountId) && this.keys.get(key) === conversationId;
    };
  }

  /**
   * An edit: a conversation keeps its statuses' ids, so a conversation streamed later (a newer status in
   * it deleted) shows the status as it is now, for the recipient. Nothing is streamed now:
   * FanOutOnWriteService skips deliver_to_conversation! on an update. (REST's `last_status` is
   * refreshed with the store's other copies: ContentStore#replaceCopiesOf.)
   */
  editStatus(status: StatusJson): void {
    this.history.replaceStatus(status.id, (reader) => renderForReader(status, reader, this.parts.viewers, 'single'));
  }

  // Mastodon's ids are the server's: a posted conversation never takes an id a scripted one has, in any account.
  private nextId(): string {
    let id = String(++this.conversationSeq);
    while (this.history.isTaken(id)) id = String(++this.conversationSeq);
    return id;
  }

  /**
   * Status#set_conversation: a reply to a status the server knows joins that status's thread;
   * any other status (a reply to an unknown one included) starts its own.
   */
  placeInThread(status: StatusJson): void {
    const parent = typeof status.in_reply_to_id === 'string' ? this.threads.get(status.in_reply_to_id) : undefined;
    this.threads.set(status.id, parent ?? String(++this.threadSeq));
  }

  /**
   * AccountConversation.add_status: finds or starts the recipient's conversation for the status's
   * thread and participants, adds the status (once), marks it unread unless the recipient wrote it,
   * stores it for GET /api/v1/conversations and streams it (the after_commit PushConversationWorker).
   */
  addStatus(recipientId: string, status: StatusJson): void {
    const { store, viewers } = this.parts;
    const history = this.history;
    const participants = participantsOf(recipientId, status);
    const key = JSON.stringify([recipientId, this.threads.get(status.id) ?? '', participants.map((account) => account.id)]);
    const known = this.keys.get(key);
    // A conversation that is gone (its last status deleted, or cleared by a block) is found no more: a new one starts.
    const current = known === undefined ? undefined : store.conversationsOf(recipientId).find((stored) => stored.conversation.id === known);
    const id = current?.conversation.id ?? this.nextId();
    this.keys.set(key, id);
    const rendered = renderForReader(status, recipientId, viewers, 'single');
    const isNew = history.record(recipientId, id, rendered, { fresh: current === undefined });
    if (!isNew && current !== undefined) return;
    const lastStatus = history.newestOf(recipientId, id) ?? rendered;
    // participant_accounts falls back to the recipient itself for a note to self.
    const accounts = participants.length > 0 ? participants : [accountForId(recipientId)];
    const conversation = buildConversation(id, accounts, lastStatus, { unread: status.account.id !== recipientId });
    store.putConversation(recipientId, { id: lastStatus.id, conversation });
    this.parts.push(recipientId, conversation);
  }
}

/** participants_from_status: the status's mentions and author, less the recipient, by id as Postgres sorts bigints. */
function participantsOf(recipientId: string, status: StatusJson): AccountJson[] {
  const byId = new Map<string, AccountJson>();
  for (const mention of status.mentions) {
    if (typeof mention.id === 'string') byId.set(mention.id, accountForId(mention.id, typeof mention.acct === 'string' ? mention.acct : undefined));
  }
  byId.set(status.account.id, status.account);
  byId.delete(recipientId);
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}
