import { compileKeywordFilters, matchKeywordFilters, type CompiledKeywordFilter, type KeywordFilterResult } from './keyword-filters.js';
import { isLocalAcct } from './identities.js';
import { isFeedOpen, type TimelinesAccess } from './timelines-access.js';
import type { StreamName } from './types.js';
import type { ViewerDirectory } from './viewers.js';

/** Server-wide facts the per-connection rules read at every status. */
export interface ScreeningContext {
  readonly viewers: ViewerDirectory;
  readonly timelinesAccess: () => TimelinesAccess;
  readonly now: () => number;
}

/**
 * What one connection (an SSE stream, or a whole WebSocket with all its subscriptions) knows
 * about its viewer: the languages loaded with the token at connect, and the keyword filters
 * loaded at the first status that needed them. Both stay as loaded, as on 4.5.7.
 */
export class ViewerSession {
  readonly languages: readonly string[] | null;
  private keywordFilters: CompiledKeywordFilter[] | undefined;

  constructor(
    readonly accountId: string,
    private readonly context: ScreeningContext,
  ) {
    this.languages = context.viewers.settingsOf(accountId).languages;
  }

  /** Decides one status for this connection; see {@link screenStatus}. */
  screen(status: Record<string, unknown>, stream: StreamName, isLocal?: boolean): ScreeningVerdict {
    return screenStatus(status, stream, this, isLocal);
  }

  /** The cached filters, loaded on first use. */
  filtersNow(): CompiledKeywordFilter[] {
    this.keywordFilters ??= compileKeywordFilters(this.context.viewers.settingsOf(this.accountId).keywordFilters, this.context.now());
    return this.keywordFilters;
  }

  get screeningContext(): ScreeningContext {
    return this.context;
  }
}

/** Dropped, or delivered with the keyword results to put in `filtered`. */
export type ScreeningVerdict = { deliver: false } | { deliver: true; filtered: KeywordFilterResult[] };

const DROP: ScreeningVerdict = { deliver: false };

function stringField(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

/**
 * The rules of protocol.md §8 for an `update`/`status.update` on public* or hashtag*, in the
 * server's order: feed access, language, relationships, then keyword filters (which annotate,
 * never drop). `isLocal` overrides the origin taken from `account.acct`.
 *
 * @example
 * screenStatus(status, 'public', session) // { deliver: true, filtered: [] }
 */
export function screenStatus(status: Record<string, unknown>, stream: StreamName, session: ViewerSession, isLocal?: boolean): ScreeningVerdict {
  const { viewers, timelinesAccess, now } = session.screeningContext;
  const settings = viewers.settingsOf(session.accountId);
  const acct = stringField(status['account'], 'acct');
  const local = isLocal ?? isLocalAcct(acct ?? '');
  if (!isFeedOpen(timelinesAccess(), stream, local, settings.canViewDisabledFeeds)) return DROP;

  // `language` missing or null is not among the chosen ones either.
  if (session.languages && !session.languages.includes(status['language'] as string)) return DROP;

  const authorId = stringField(status['account'], 'id');
  const mentions = Array.isArray(status['mentions']) ? status['mentions'] : [];
  const mentionIds = mentions.flatMap((mention) => {
    const id = stringField(mention, 'id');
    return id === undefined ? [] : [id];
  });
  const authorDomain = acct?.split('@')[1];
  if (viewers.hidesByRelationship(session.accountId, authorId, mentionIds, authorDomain)) return DROP;

  if (Object.hasOwn(status, 'filtered')) return { deliver: true, filtered: [] };
  return { deliver: true, filtered: matchKeywordFilters(session.filtersNow(), status, now()) };
}
