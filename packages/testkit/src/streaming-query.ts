/**
 * A query parameter as the streaming server reads it: Node's `querystring` (behind
 * `url.parse(req.url, true)` and Express 5's default "simple" query parser) gives a key that
 * appears once as its string and a repeated key as an array of every value. Absent: undefined.
 *
 * @example
 * streamingQueryValue(new URLSearchParams('tag=a&tag=b'), 'tag') // ['a', 'b']
 */
export function streamingQueryValue(query: URLSearchParams, name: string): string | string[] | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

/**
 * The text node-postgres sends for a query parameter (`prepareValue`): a string as it is, an
 * array as a Postgres array literal with each element quoted and `\` and `"` escaped. So a
 * repeated `access_token` is compared as `{"a","b"}`, which is no token, and a repeated `list`
 * is not a bigint, which fails the list query.
 *
 * @example
 * asPostgresParameter(['42', '42']) // '{"42","42"}'
 */
export function asPostgresParameter(value: string | string[]): string {
  if (typeof value === 'string') return value;
  return `{${value.map((item) => `"${item.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
