import type { StatusJson } from './entity-json.js';
import { compareIds } from './snowflake.js';

/** What a deleted direct status does to one conversation: one whose newest message it was, or one it was unlinked from. */
export interface ConversationChange {
  accountId: string;
  conversationId: string;
  /**
   * The conversation's newest status id now (its cursor) and that status, null when it is gone (a
   * deleted status the conversation was not unlinked from: REST renders `last_status: null`); or
   * `undefined` when the conversation held no other status (Mastodon destroys it).
   */
  newest: { id: string; status: StatusJson | null } | undefined;
  /** AccountConversation.remove_status found and saved it (and so streams it); false when it was left as it was. */
  unlinked: boolean;
  /** The deleted status was the conversation's newest, so its `last_status` changes. */
  wasNewest: boolean;
}

/**
 * The direct statuses each conversation has held, per account (scripted with `conversation()` or
 * made by posting): what Mastodon's AccountConversation keeps as `status_ids`, so that deleting one
 * can do what `AccountConversation.remove_status` does (Status#unlink_from_conversations!).
 */
export class ConversationHistory {
  private readonly held = new Map<string, { accountId: string; conversationId: string; statuses: StatusJson[]; gone: Set<string> }>();

  /**
   * A conversation was put at `lastStatus`. `fresh` starts it over: Mastodon's conversation of that
   * id is gone and a new one holds only this status. Returns whether the status was new to it.
   */
  record(accountId: string, conversationId: string, lastStatus: StatusJson | null, { fresh = false } = {}): boolean {
    const key = JSON.stringify([accountId, conversationId]);
    const entry = (fresh ? undefined : this.held.get(key)) ?? { accountId, conversationId, statuses: [], gone: new Set<string>() };
    this.held.set(key, entry);
    if (lastStatus === null || typeof lastStatus.id !== 'string' || entry.statuses.some((status) => status.id === lastStatus.id)) return false;
    entry.statuses.push(lastStatus);
    return true;
  }

  /** The newest status the account's conversation holds (its `last_status`), if any. */
  newestOf(accountId: string, conversationId: string): StatusJson | undefined {
    return newestOf(this.held.get(JSON.stringify([accountId, conversationId]))?.statuses ?? []);
  }

  /**
   * An edited status: each conversation holding it now holds `render(accountId)` in its place (Mastodon's
   * conversations keep status ids, so they show the status as it is now).
   */
  replaceStatus(statusId: string, render: (accountId: string) => StatusJson): void {
    for (const entry of this.held.values()) {
      const index = entry.statuses.findIndex((status) => status.id === statusId);
      if (index !== -1) entry.statuses[index] = render(entry.accountId);
    }
  }

  /** True when some account has a conversation of that id. */
  isTaken(conversationId: string): boolean {
    return [...this.held.values()].some((entry) => entry.conversationId === conversationId);
  }

  /**
   * A deleted status: each conversation that held it and that `unlinks` accepts (the one
   * AccountConversation.remove_status finds) no longer holds it; any other keeps its id, as a status
   * that is gone. Returns the conversations it was unlinked from and those whose newest status it
   * was: Mastodon saves an unlinked one, at the newest status left (and streams it, whether or not
   * that changed), or destroys it when none is left, and leaves another pointing at the deleted status.
   */
  removeStatus(statusId: string, unlinks: (accountId: string, conversationId: string) => boolean): ConversationChange[] {
    const changes: ConversationChange[] = [];
    for (const entry of this.held.values()) {
      if (!entry.statuses.some((status) => status.id === statusId)) continue;
      const wasNewest = newestOf(entry.statuses)?.id === statusId;
      const unlinked = unlinks(entry.accountId, entry.conversationId);
      if (unlinked) entry.statuses = entry.statuses.filter((status) => status.id !== statusId);
      else entry.gone.add(statusId);
      const newest = newestOf(entry.statuses);
      const now = newest === undefined ? undefined : { id: newest.id, status: entry.gone.has(newest.id) ? null : newest };
      if (wasNewest || unlinked) changes.push({ accountId: entry.accountId, conversationId: entry.conversationId, newest: now, unlinked, wasNewest });
    }
    return changes;
  }
}

/** Mastodon sorts a conversation's status ids and takes the last as its `last_status`. */
function newestOf(statuses: readonly StatusJson[]): StatusJson | undefined {
  return statuses.reduce<StatusJson | undefined>((newest, status) => (newest === undefined || compareIds(status.id, newest.id) > 0 ? status : newest), undefined);
}
