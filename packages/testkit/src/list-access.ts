const INT8_MAX = 9_223_372_036_854_775_807n;
const INT8_MIN = -9_223_372_036_854_775_808n;
// PostgreSQL's int8 input: blanks around an optionally signed run of decimal digits.
const INT8_TEXT = /^[ \t\n\r\v\f]*([+-]?\d+)[ \t\n\r\v\f]*$/;

/**
 * The list id as PostgreSQL reads the parameter of `WHERE id = $1` (a bigint): `042`, ` 42` and
 * `+42` are list 42; anything else (`4.2`, `42x`, out of range) fails the query. Undefined then.
 *
 * @example
 * listIdAsBigint('042') // 42n
 * listIdAsBigint('abc') // undefined
 */
export function listIdAsBigint(text: string): bigint | undefined {
  const digits = INT8_TEXT.exec(text)?.[1];
  if (digits === undefined) return undefined;
  const id = BigInt(digits);
  return id >= INT8_MIN && id <= INT8_MAX ? id : undefined;
}

/**
 * Mastodon's `authorizeListAccess`: `SELECT … FROM lists WHERE id = $1 AND account_id = $2`.
 * The stream still listens to `timeline:list:<id as sent>`, so an id written `042` is
 * authorised but never receives what Rails publishes for list 42.
 *
 * @example
 * mayStreamList('042', '1001', { '42': '1001' }) // true
 */
export function mayStreamList(listText: string, accountId: string, lists: Readonly<Record<string, string>>): boolean {
  const id = listIdAsBigint(listText);
  if (id === undefined) return false;
  return Object.entries(lists).some(([owned, owner]) => owner === accountId && listIdAsBigint(owned) === id);
}
