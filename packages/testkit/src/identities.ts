import type { FakeToken } from './types.js';

/**
 * Host of local accounts in payloads, as in the 4.5.7 fixtures.
 *
 * @example
 * ```ts
 * expect(status.url).toContain(LOCAL_DOMAIN); // 'peer.example'
 * ```
 */
export const LOCAL_DOMAIN = 'peer.example';
/**
 * Host of the remote account in payloads, as in the 4.5.7 fixtures.
 *
 * @example
 * ```ts
 * server.postStatus({}, { account: 'carol' }); // carol@remote.example, a remote author
 * ```
 */
export const REMOTE_DOMAIN = 'remote.example';

/** Mastodon Account JSON, keys in the order Mastodon renders them. */
export interface AccountJson {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  [key: string]: unknown;
}

/** Short names accepted wherever an author can be chosen. */
export type KnownAccountName = 'alice' | 'bob' | 'carol';

/**
 * Builds a realistic Account entity. `acct` without `@` is a local account on `peer.example`.
 *
 * @example
 * const dave = buildAccount('1004', 'dave@remote.example', 'Dave');
 */
export function buildAccount(id: string, acct: string, displayName?: string): AccountJson {
  const [username = acct, domain = LOCAL_DOMAIN] = acct.split('@');
  const base = `https://${domain}`;
  return {
    id,
    username,
    acct,
    display_name: displayName ?? username,
    locked: false,
    bot: false,
    discoverable: true,
    indexable: true,
    group: false,
    created_at: '2024-01-01T00:00:00.000Z',
    note: '<p>peer test account</p>',
    url: `${base}/@${username}`,
    uri: `${base}/users/${username}`,
    avatar: `https://${LOCAL_DOMAIN}/avatars/original/missing.png`,
    avatar_static: `https://${LOCAL_DOMAIN}/avatars/original/missing.png`,
    header: `https://${LOCAL_DOMAIN}/headers/original/missing.png`,
    header_static: `https://${LOCAL_DOMAIN}/headers/original/missing.png`,
    followers_count: 1,
    following_count: 1,
    statuses_count: 1,
    last_status_at: '2024-01-01',
    hide_collections: false,
    noindex: false,
    emojis: [],
    roles: [],
    fields: [],
  };
}

/**
 * The fixture identities (see the fixtures README).
 *
 * @example
 * ```ts
 * server.notify(KNOWN_ACCOUNTS.alice.id, { type: 'follow', fromAccount: 'bob' });
 * ```
 */
export const KNOWN_ACCOUNTS: Readonly<Record<KnownAccountName, AccountJson>> = deepFreeze({
  alice: buildAccount('1001', 'alice', 'Alice Peer'),
  bob: buildAccount('1002', 'bob', 'Bob Peer'),
  carol: buildAccount('1003', `carol@${REMOTE_DOMAIN}`, 'Carol Remote'),
});

/**
 * Frozen to the leaves: these objects are shared by every server in the process (each status by
 * alice carries hers), so a test that changed one (`display_name`, to build an expected value)
 * changed every later test's statuses; it gets a TypeError instead (module code is strict).
 */
function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  return Object.freeze(value);
}

const FULL_SCOPES = ['read', 'write', 'follow', 'push'];

/**
 * Tokens of the 4.5.7 capture: alice, bob, a write-only token and a revoked one.
 *
 * @example
 * createFakeMastodon({ tokens: { ...defaultTokens(), mine: { accountId: '1001', scopes: ['read'] } } })
 */
export function defaultTokens(): Record<string, FakeToken> {
  return {
    'peer-test-token': { accountId: '1001', acct: 'alice', scopes: [...FULL_SCOPES] },
    'peer-test-token-bob': { accountId: '1002', acct: 'bob', scopes: [...FULL_SCOPES] },
    'peer-test-token-writeonly': { accountId: '1001', acct: 'alice', scopes: ['write'] },
    'peer-test-token-revoked': { accountId: '1001', acct: 'alice', scopes: [...FULL_SCOPES], revoked: true },
  };
}

/**
 * Lists of the 4.5.7 capture: 42 owned by alice, 43 by bob.
 *
 * @example
 * createFakeMastodon({ lists: { ...defaultLists(), '44': '1001' } })
 */
export function defaultLists(): Record<string, string> {
  return { '42': '1001', '43': '1002' };
}

/** The author a content method was given: a fixture name, or a whole Account; `fallback` when none. */
export function resolveAccount(account: KnownAccountName | AccountJson | undefined, fallback: KnownAccountName): AccountJson {
  if (account === undefined) return KNOWN_ACCOUNTS[fallback];
  if (typeof account !== 'string') {
    // A partial object ({ id: '5000' }) crashed later reading its acct's domain, far from the mistake.
    if (typeof account?.id !== 'string' || typeof account.acct !== 'string' || typeof account.username !== 'string') {
      throw new TypeError(`FakeMastodon: an account must be a known name (${Object.keys(KNOWN_ACCOUNTS).join(', ')}) or a whole Account with string id, username and acct; buildAccount(id, acct) makes one`);
    }
    return account;
  }
  // JavaScript callers (and casts) get past the type; without this check the fake crashes later
  // with "Cannot read properties of undefined (reading 'acct')", far from the mistake.
  if (!Object.hasOwn(KNOWN_ACCOUNTS, account)) {
    const known = Object.keys(KNOWN_ACCOUNTS).join(', ');
    throw new TypeError(`FakeMastodon: unknown account '${account}' (known: ${known}); pass buildAccount(id, acct) for others`);
  }
  return KNOWN_ACCOUNTS[account];
}

/** Finds the account JSON for an id, inventing a local one for unknown ids. */
export function accountForId(accountId: string, acct?: string): AccountJson {
  const known = Object.values(KNOWN_ACCOUNTS).find((account) => account.id === accountId);
  if (known && (acct === undefined || acct === known.acct)) return known;
  return buildAccount(accountId, acct ?? `user${accountId}`);
}

/** True when `acct` names an account on this server (no `@domain` part). */
export function isLocalAcct(acct: string): boolean {
  return !acct.includes('@');
}
