import type { IncomingMessage } from 'node:http';

/** Far above any status a test posts; a runaway client must not fill the test process's memory. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Rails' parameters: strings, arrays of them (`name[]`) and nested hashes (`name[key]`). */
export type RailsParams = Record<string, unknown>;

/**
 * Reads a request body whole, as Rails has it before a controller runs; a body over 10 MiB
 * destroys the request.
 *
 * @example
 * const bytes = await readBody(req);
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return void req.destroy(new Error('request body too large'));
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * What Rails' `params[:name]` holds for a plain query key (not `name[]`): Rack's query parser
 * keeps the last value of a repeated key, so `max_id=1&max_id=2` is `'2'`. Null when absent.
 *
 * @example
 * railsQueryValue(new URLSearchParams('local=true&local=false'), 'local') // 'false'
 */
export function railsQueryValue(query: URLSearchParams, name: string): string | null {
  return query.getAll(name).at(-1) ?? null;
}

/**
 * Rails' boolean casting of a parameter (ActiveModel::Type::Boolean, as `truthy_param?` reads it):
 * anything present but blank or one of its false values counts as true.
 *
 * @example
 * isRailsTruthy('off') // false
 */
export function isRailsTruthy(value: string | null): boolean {
  return value !== null && !['', '0', 'f', 'F', 'false', 'FALSE', 'off', 'OFF'].includes(value);
}

const isHash = (value: unknown): value is RailsParams => value !== null && typeof value === 'object' && !Array.isArray(value);

// Rack's `normalize_params`: `a` sets, `a[]` appends, `a[b]` nests, `a[][b]` fills the last
// hash of the array until it already has `b`. Where Rack raises ParameterTypeError (a name used
// both as a string and as an array or hash) the later use wins: a test of that 400 is not worth it.
function assign(params: RailsParams, name: string, value: string): void {
  const open = name.indexOf('[');
  const key = open <= 0 ? name : name.slice(0, open);
  const after = open <= 0 ? '' : name.slice(open);
  if (after === '' || after === '[') return void (params[key] = value);
  if (after === '[]') {
    const list = Array.isArray(params[key]) ? (params[key] as unknown[]) : (params[key] = []);
    return void list.push(value);
  }
  const arrayOfHashes = /^\[\]\[([^\]]+)\](.*)$/.exec(after);
  if (arrayOfHashes) {
    const [, child = '', rest = ''] = arrayOfHashes;
    const list = Array.isArray(params[key]) ? (params[key] as unknown[]) : (params[key] = []);
    const last = list.at(-1);
    const target = isHash(last) && !(child in last) ? last : {};
    if (target !== last) list.push(target);
    return assign(target, `${child}${rest}`, value);
  }
  const nested = /^\[([^\]]*)\](.*)$/.exec(after);
  if (!nested) return void (params[key] = value);
  const [, child = '', rest = ''] = nested;
  const hash = isHash(params[key]) ? params[key] : (params[key] = {});
  assign(hash, `${child}${rest}`, value);
}

/**
 * Name/value pairs (a query string, a form) as Rails' params: `media_ids[]=1&media_ids[]=2` is
 * `{ media_ids: ['1', '2'] }`, `poll[options][]=a` is `{ poll: { options: ['a'] } }`.
 *
 * @example
 * railsParams(new URLSearchParams('status=hi&media_ids[]=1&media_ids[]=2')) // { status: 'hi', media_ids: ['1', '2'] }
 */
export function railsParams(pairs: Iterable<[string, string]>): RailsParams {
  const params: RailsParams = {};
  for (const [name, value] of pairs) assign(params, name, value);
  return params;
}

/**
 * The parameters of a request body as Rails parses them by `Content-Type`: a JSON object, a
 * URL-encoded form, or multipart/form-data (what `fetch` sends for a `FormData`; file parts
 * are left out, since the fake processes no media). Anything else, or a body that does not
 * parse, gives none: Rails would answer that 400, which no test has needed.
 *
 * @example
 * await bodyParams('application/x-www-form-urlencoded', Buffer.from('status=hi')) // { status: 'hi' }
 */
export async function bodyParams(contentType: string | undefined, body: Buffer): Promise<RailsParams> {
  const type = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (type.includes('json')) {
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      return isHash(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }
  if (type.includes('x-www-form-urlencoded')) return railsParams(new URLSearchParams(body.toString('utf8')));
  if (type === 'multipart/form-data') {
    try {
      // undici's parser (Node's global Response) handles boundaries, quoting and charsets.
      const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType ?? '' } }).formData();
      const texts: Array<[string, string]> = [];
      for (const [name, value] of form) if (typeof value === 'string') texts.push([name, value]);
      return railsParams(texts);
    } catch {
      return {};
    }
  }
  return {};
}
