import { checkKeywordFilterOptions, checkViewerOptions } from './fake-mastodon-option-names.js';
import type { RelationshipAdded } from './relationship-cleanup.js';
import type { KeywordFilterOptions, ViewerOptions } from './viewer-types.js';
import { BoostIndex } from './boost-index.js';
import { Favourites } from './favourites.js';

/**
 * The current settings of one account, every field filled in.
 *
 * @example
 * const { languages, keywordFilters } = server.viewer('1001').settings;
 */
export interface ViewerSettings {
  readonly languages: readonly string[] | null;
  readonly blocks: readonly string[];
  readonly mutes: readonly string[];
  readonly domainBlocks: readonly string[];
  readonly keywordFilters: readonly KeywordFilterOptions[];
  readonly canViewDisabledFeeds: boolean;
}

/**
 * Test-facing handle on one account's filtering state (see Filtering in the README). Blocks, mutes, domain
 * blocks and keyword filters apply to the next published status (a filter change reaches open
 * connections as Rails' `filters_changed` system message does); languages and the "view
 * feeds" permission only to streams that connect afterwards (see {@link ViewerOptions}). Blocks,
 * mutes and domain blocks also decide what Rails leaves out for the account: what its home and
 * lists take, its REST public and tag timelines (with languages on public) at every request, and
 * notifications from the accounts concerned (not created). Taking one up also removes, once and
 * for good, what Mastodon's workers remove (see "What Rails leaves out for the reader" in the
 * README); ending it brings nothing back.
 */
export interface FakeViewer {
  readonly accountId: string;
  /**
   * A copy of the current settings.
   * @example
   * expect(server.viewer('1001').settings.blocks).toEqual(['1002']);
   */
  readonly settings: ViewerSettings;
  /**
   * Replaces the fields given, keeps the others. Blocks, mutes and domain blocks new to the
   * account clean up as {@link FakeViewer.block}, {@link FakeViewer.mute} and
   * {@link FakeViewer.blockDomain} do; dropping one restores nothing.
   * @example
   * server.viewer('1001').update({ languages: ['en', 'de'], canViewDisabledFeeds: true });
   */
  update(changes: ViewerOptions): void;
  /**
   * This account blocks `accountId`: neither sees the other's public statuses any more. At once
   * (as AfterBlockService does) the target's statuses, boosts of them, and statuses mentioning
   * it leave this account's home and lists, each with a `delete` on the `user` or `list`
   * stream; the target's notifications to this account and conversations with it are deleted;
   * and this account's statuses leave the target's home and lists without a `delete` (the
   * target's follow ends).
   * @example
   * server.viewer('1001').block('1002');
   */
  block(accountId: string): void;
  /**
   * Undoes {@link FakeViewer.block}; what the block removed stays removed.
   * @example
   * server.viewer('1001').unblock('1002');
   */
  unblock(accountId: string): void;
  /**
   * This account mutes `accountId`, with its notifications (the API's default): statuses by or
   * mentioning it are dropped for this account, and at once its home and lists, notifications
   * and conversations are cleared of it exactly as by {@link FakeViewer.block} (MuteService hands
   * such a mute to the block worker); the muted account's feeds are left alone.
   * @example
   * server.viewer('1001').mute('1002');
   */
  mute(accountId: string): void;
  /**
   * Undoes {@link FakeViewer.mute}; what the mute removed stays removed.
   * @example
   * server.viewer('1001').unmute('1002');
   */
  unmute(accountId: string): void;
  /**
   * Drops statuses whose author's acct ends in `@domain`. At once, without any event, the
   * domain's statuses leave this account's home and lists (its follows there end) and the
   * domain's notifications to it are deleted.
   * @example
   * server.viewer('1001').blockDomain('remote.example');
   */
  blockDomain(domain: string): void;
  /**
   * Undoes {@link FakeViewer.blockDomain}; what the block removed stays removed.
   * @example
   * server.viewer('1001').unblockDomain('remote.example');
   */
  unblockDomain(domain: string): void;
  /**
   * Adds (or replaces, by id) a keyword filter.
   * @example
   * server.viewer('1001').addKeywordFilter({ id: '5', title: 'Peer filter', keywords: ['peerfiltered'] });
   */
  addKeywordFilter(filter: KeywordFilterOptions): void;
  /**
   * Removes a keyword filter by id.
   * @example
   * server.viewer('1001').removeKeywordFilter('5');
   */
  removeKeywordFilter(id: string): void;
}

interface MutableViewer {
  languages: string[] | null;
  blocks: Set<string>;
  mutes: Set<string>;
  domainBlocks: Set<string>;
  keywordFilters: KeywordFilterOptions[];
  canViewDisabledFeeds: boolean;
  /** Bumped at every keyword filter change (Rails' `filters_changed` on the system channel). */
  filtersVersion: number;
}

function applyChanges(state: MutableViewer, changes: ViewerOptions): AddedTargets {
  const added: AddedTargets = { blocks: [], mutes: [], domainBlocks: [] };
  if (changes.languages !== undefined) state.languages = changes.languages?.length ? [...changes.languages] : null;
  if (changes.blocks) added.blocks = replaceSet(state, 'blocks', changes.blocks);
  if (changes.mutes) added.mutes = replaceSet(state, 'mutes', changes.mutes);
  if (changes.domainBlocks) added.domainBlocks = replaceSet(state, 'domainBlocks', changes.domainBlocks);
  if (changes.keywordFilters) setKeywordFilters(state, changes.keywordFilters);
  if (changes.canViewDisabledFeeds !== undefined) state.canViewDisabledFeeds = changes.canViewDisabledFeeds;
  return added;
}

/** The blocks, mutes and domain blocks an update took up (not those it kept). */
interface AddedTargets {
  blocks: string[];
  mutes: string[];
  domainBlocks: string[];
}

function replaceSet(state: MutableViewer, key: 'blocks' | 'mutes' | 'domainBlocks', values: readonly string[]): string[] {
  const added = values.filter((value) => !state[key].has(value));
  state[key] = new Set(values);
  return [...new Set(added)];
}

// Saving or destroying a CustomFilter publishes `filters_changed` on `timeline:system:<account>`
// (CustomFilter#invalidate_cache!), and the streaming server then forgets the filters each open
// connection of that account had cached; the next status loads them again.
function setKeywordFilters(state: MutableViewer, filters: readonly KeywordFilterOptions[]): void {
  state.keywordFilters = filters.map((filter) => ({ ...filter }));
  state.filtersVersion += 1;
}

/**
 * Every account's languages, relationships and keyword filters, as the streaming server reads
 * them from the database. Accounts nobody configured have none.
 */
export class ViewerDirectory {
  private readonly accounts = new Map<string, MutableViewer>();
  /** The favourites made over REST, which every rendering for a reader shows (`favourited`). */
  readonly favourites = new Favourites();
  /** Who holds a boost of what (the ContentStore keeps it), which every rendering for a reader shows (`reblogged`). */
  readonly boosts = new BoostIndex();

  /**
   * `initial` is the configuration at start, before anything is stored, so nothing is reported
   * for it; `onAdded` hears of every block, mute and domain block taken up afterwards (each call
   * of `block`, `mute`, `blockDomain`, as Mastodon runs its workers at each request; for
   * `update`, the ids new to the account).
   */
  constructor(
    initial: Readonly<Record<string, ViewerOptions>> = {},
    private readonly onAdded: (change: RelationshipAdded) => void = () => undefined,
  ) {
    for (const [accountId, options] of Object.entries(initial)) applyChanges(this.state(accountId), options);
  }

  /** A handle for tests; creating one changes nothing. */
  viewer(accountId: string): FakeViewer {
    const directory = this;
    const state = (): MutableViewer => directory.state(accountId);
    return {
      accountId,
      get settings(): ViewerSettings {
        return directory.settingsOf(accountId);
      },
      update: (changes) => {
        checkViewerOptions('FakeViewer.update', changes);
        directory.report(accountId, applyChanges(state(), changes));
      },
      block: (targetId) => {
        state().blocks.add(targetId);
        directory.onAdded({ kind: 'block', ownerId: accountId, targetId });
      },
      unblock: (target) => void state().blocks.delete(target),
      mute: (targetId) => {
        state().mutes.add(targetId);
        directory.onAdded({ kind: 'mute', ownerId: accountId, targetId });
      },
      unmute: (target) => void state().mutes.delete(target),
      blockDomain: (domain) => {
        state().domainBlocks.add(domain);
        directory.onAdded({ kind: 'domainBlock', ownerId: accountId, domain });
      },
      unblockDomain: (domain) => void state().domainBlocks.delete(domain),
      addKeywordFilter: (filter) => {
        checkKeywordFilterOptions('FakeViewer.addKeywordFilter', filter);
        const filters = state().keywordFilters.filter((existing) => existing.id !== filter.id);
        setKeywordFilters(state(), [...filters, filter]);
      },
      removeKeywordFilter: (id) => setKeywordFilters(state(), state().keywordFilters.filter((existing) => existing.id !== id)),
    };
  }

  /** Changes with every keyword filter change of the account, so connections reload theirs. */
  filtersVersionOf(accountId: string): number {
    return this.accounts.get(accountId)?.filtersVersion ?? 0;
  }

  settingsOf(accountId: string): ViewerSettings {
    const state = this.accounts.get(accountId);
    return {
      languages: state?.languages ? [...state.languages] : null,
      blocks: [...(state?.blocks ?? [])],
      mutes: [...(state?.mutes ?? [])],
      domainBlocks: [...(state?.domainBlocks ?? [])],
      keywordFilters: [...(state?.keywordFilters ?? [])],
      canViewDisabledFeeds: state?.canViewDisabledFeeds ?? false,
    };
  }

  /**
   * Step 3 of §8: the viewer blocks or mutes the author or a mentioned account, the author
   * blocks the viewer, or the viewer blocks the author's domain.
   */
  hidesByRelationship(viewerId: string, authorId: string | undefined, mentionIds: readonly string[], authorDomain: string | undefined): boolean {
    const viewer = this.accounts.get(viewerId);
    const involved = authorId === undefined ? mentionIds : [authorId, ...mentionIds];
    if (viewer && involved.some((id) => viewer.blocks.has(id) || viewer.mutes.has(id))) return true;
    if (authorId !== undefined && this.accounts.get(authorId)?.blocks.has(viewerId)) return true;
    return authorDomain !== undefined && (viewer?.domainBlocks.has(authorDomain) ?? false);
  }

  private report(ownerId: string, added: AddedTargets): void {
    for (const targetId of added.blocks) this.onAdded({ kind: 'block', ownerId, targetId });
    for (const targetId of added.mutes) this.onAdded({ kind: 'mute', ownerId, targetId });
    for (const domain of added.domainBlocks) this.onAdded({ kind: 'domainBlock', ownerId, domain });
  }

  private state(accountId: string): MutableViewer {
    let state = this.accounts.get(accountId);
    if (!state) {
      state = { languages: null, blocks: new Set(), mutes: new Set(), domainBlocks: new Set(), keywordFilters: [], canViewDisabledFeeds: false, filtersVersion: 0 };
      this.accounts.set(accountId, state);
    }
    return state;
  }
}
