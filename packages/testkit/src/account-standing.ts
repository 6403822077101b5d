import type { FakeToken } from './types.js';

/** Why an account's tokens stopped working; both read as `Invalid access token` on the wire. */
export type AccountAction = 'disabled' | 'suspended';

/**
 * Which tokens the streaming server accepts. Since 4.5 its token lookup skips tokens without a
 * user (client credentials), revoked ones, and those whose user is disabled or whose account is
 * suspended, so all of them fail the same way as an unknown token (protocol.md §3.2, §6 row 3).
 *
 * @example
 * const standing = new AccountStanding(tokens, { disabledUsers: ['1002'] });
 * standing.usableToken('peer-test-token-bob'); // undefined
 */
export class AccountStanding {
  private readonly actions = new Map<string, Set<AccountAction>>();

  constructor(
    private readonly tokens: ReadonlyMap<string, FakeToken>,
    initial: { disabledUsers?: readonly string[] | undefined; suspendedAccounts?: readonly string[] | undefined } = {},
  ) {
    for (const accountId of initial.disabledUsers ?? []) this.apply(accountId, 'disabled');
    for (const accountId of initial.suspendedAccounts ?? []) this.apply(accountId, 'suspended');
  }

  /** The token's configuration when the streaming server would accept it, else undefined. */
  usableToken(token: string): FakeToken | undefined {
    const config = this.tokens.get(token);
    if (!config || config.revoked || config.appOnly) return undefined;
    return this.isBarred(config.accountId) ? undefined : config;
  }

  /** True while the action is on the account; Rails tells the two apart, the streaming server does not. */
  has(accountId: string, action: AccountAction): boolean {
    return this.actions.get(accountId)?.has(action) ?? false;
  }

  /** True while the account is disabled or suspended. */
  isBarred(accountId: string): boolean {
    return (this.actions.get(accountId)?.size ?? 0) > 0;
  }

  apply(accountId: string, action: AccountAction): void {
    const actions = this.actions.get(accountId) ?? new Set<AccountAction>();
    actions.add(action);
    this.actions.set(accountId, actions);
  }

  /** Lifts every action on the account. */
  reinstate(accountId: string): void {
    this.actions.delete(accountId);
  }
}
