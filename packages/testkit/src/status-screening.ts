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
 * about its viewer: the languages and permissions loaded with the token at connect (kept as
 * loaded, as on 4.5.7), and the keyword filters loaded at the first status that needed them
 * (reloaded after a `filters_changed` system message, i.e. any change of the account's filters).
 */
export class ViewerSession {
  readonly languages: readonly string[] | null;
  /** The role's "view feeds" permission, read with the token at connect. */
  readonly canViewDisabledFeeds: boolean;
  private keywordFilters: { version: number; compiled: CompiledKeywordFilter[] } | undefined;

  constructor(
    readonly accountId: string,
    private readonly context: ScreeningContext,
  ) {
    const settings = context.viewers.settingsOf(accountId);
    this.languages = settings.languages;
    this.canViewDisabledFeeds = settings.canViewDisabledFeeds;
  }

  /**
   * Which origins a new subscription to `stream` may receive, fixed for its lifetime: 4.5.7
   * reads the feed-access settings once per subscription (`getFeedAccessSettings` in
   * `channelNameToIds`) and keeps `filterLocal`/`filterRemote` in the listener's closure.
   */
  feedGate(stream: StreamName): FeedGate {
    const access = this.context.timelinesAccess();
    return {
      local: isFeedOpen(access, stream, true, this.canViewDisabledFeeds),
      remote: isFeedOpen(access, stream, false, this.canViewDisabledFeeds),
    };
  }

  /** Decides one status for this connection; see {@link screenStatus}. */
  screen(status: Record<string, unknown>, stream: StreamName, isLocal?: boolean, gate?: FeedGate): ScreeningVerdict {
    return screenStatus(status, stream, this, isLocal, gate);
  }

  /** The cached filters, loaded on first use and again after the account's filters changed. */
  filtersNow(): CompiledKeywordFilter[] {
    const version = this.context.viewers.filtersVersionOf(this.accountId);
    if (this.keywordFilters?.version !== version) {
      const compiled = compileKeywordFilters(this.context.viewers.settingsOf(this.accountId).keywordFilters, this.context.now());
      this.keywordFilters = { version, compiled };
    }
    return this.keywordFilters.compiled;
  }

  get screeningContext(): ScreeningContext {
    return this.context;
  }
}

/** Whether statuses of each origin pass the feed-access step (protocol.md §8 step 1). */
export interface FeedGate {
  readonly local: boolean;
  readonly remote: boolean;
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
 * never drop). `isLocal` overrides the origin taken from `account.acct`; `gate` is the
 * subscription's feed access as read when it subscribed (default: read now).
 *
 * @example
 * screenStatus(status, 'public', session) // { deliver: true, filtered: [] }
 */
export function screenStatus(
  status: Record<string, unknown>,
  stream: StreamName,
  session: ViewerSession,
  isLocal?: boolean,
  gate: FeedGate = session.feedGate(stream),
): ScreeningVerdict {
  const { viewers, now } = session.screeningContext;
  const acct = stringField(status['account'], 'acct');
  const local = isLocal ?? isLocalAcct(acct ?? '');
  if (!(local ? gate.local : gate.remote)) return DROP;

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
