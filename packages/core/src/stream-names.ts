import { MastodonArgumentError } from './errors.js';
import { definedOnly, shown } from './option-checks.js';
import type { GapKind } from './stream-hooks.js';

/**
 * Mastodon's own stream names, exactly as the WebSocket API spells them.
 *
 * @example
 * ```ts
 * for (const name of STREAM_NAMES) console.log(name); // 'user', 'user:notification', 'public', …
 * ```
 */
export const STREAM_NAMES = [
  'user',
  'user:notification',
  'public',
  'public:local',
  'public:remote',
  'public:media',
  'public:local:media',
  'public:remote:media',
  'hashtag',
  'hashtag:local',
  'list',
  'direct',
] as const;

/** One of Mastodon's stream names. */
export type StreamName = (typeof STREAM_NAMES)[number];

/** Parameters some streams require: `tag` for hashtag streams, `list` for list streams. */
export interface StreamParams {
  tag?: string | undefined;
  list?: string | undefined;
}

/** The streams of one hashtag, which need its `tag`. */
type HashtagStreamName = 'hashtag' | 'hashtag:local';

/**
 * The parameters `client.stream(name, params)` takes for `name`: a `tag` for a hashtag stream, a `list` id for a list
 * stream, and neither for the others (as the call refuses them; `undefined` is left out). A name known only at run
 * time (`StreamName` itself, or streams that need different parameters) takes any {@link StreamParams}, which the call
 * checks.
 */
// `never` first: it extends every name, and a name cast to it (an exhaustive switch's leftover) is not known either.
export type StreamParamsFor<Name extends StreamName> = [Name] extends [never]
  ? StreamParams
  : [Name] extends [HashtagStreamName]
    ? { tag: string; list?: undefined }
    : [Name] extends ['list']
      ? { list: string; tag?: undefined }
      : [StreamName] extends [Name]
        ? StreamParams
        : [Name] extends [Exclude<StreamName, HashtagStreamName | 'list'>]
          ? { tag?: undefined; list?: undefined }
          : StreamParams;

/** The SSE request for one stream, and the WebSocket-style label its events carry. */
export interface StreamRequest {
  name: StreamName;
  /** Path and query under the streaming base, e.g. `/api/v1/streaming/hashtag/local?tag=rust`. */
  pathAndQuery: string;
  /** The `stream` array attached to every event, e.g. `['hashtag', 'rust']`. */
  streamLabel: readonly string[];
  params: StreamParams;
}

/**
 * True when `name` is one of Mastodon's stream names.
 *
 * @example
 * ```ts
 * const name = process.argv[2];
 * if (isStreamName(name)) for await (const event of client.stream(name)) console.log(event.event);
 * ```
 */
export const isStreamName = (name: unknown): name is StreamName => (STREAM_NAMES as readonly unknown[]).includes(name);

/**
 * Validates a stream name and its parameters and builds the request for it: `tag` for a hashtag stream, `list` for a
 * list stream, and the `flags` a convenience method takes besides (its own, already folded into the name).
 * Throws {@link MastodonArgumentError} before any request is made.
 */
export const resolveStreamRequest = (name: unknown, params: StreamParams = {}, flags: string[] = []): StreamRequest => {
  if (!isStreamName(name)) {
    throw new MastodonArgumentError(`Unknown stream name ${shown(name)}; expected one of ${STREAM_NAMES.join(', ')}`);
  }
  // A stream option given in the parameters' place (`client.hashtag('rust', { signal })`) would otherwise be dropped
  // without a word, and with it the signal that was to end the loop; so would a parameter of another stream
  // (`stream('public', { local: true })` streams the whole federated timeline: the name says local, 'public:local').
  // (A parameter set to `undefined` is left out, as an option is: `{ tag: config.tag, list: config.list }` for any stream.)
  for (const key of Object.keys(definedOnly(params) ?? {})) {
    if (![...flags, name.startsWith('hashtag') ? 'tag' : name == 'list' && 'list'].includes(key)) throw new MastodonArgumentError(`${key} is no parameter of stream ${name} (options go after the parameters)`);
  }
  const resolved: StreamParams = {};
  // `hashtag` or `hashtag:local`: the name is one of STREAM_NAMES by now.
  if (name.startsWith('hashtag')) {
    const tag: unknown = params.tag;
    if (typeof tag !== 'string' || !tag.trim()) throw new MastodonArgumentError('A hashtag stream needs a non-empty tag');
    if (tag.startsWith('#')) throw new MastodonArgumentError(`Pass the tag without its leading "#" (got "${tag}")`);
    resolved.tag = tag;
  } else if (name === 'list') {
    const list: unknown = params.list;
    const id = typeof list === 'number' ? String(list) : list;
    if (typeof id !== 'string' || !id.trim()) throw new MastodonArgumentError('A list stream needs a non-empty list id');
    resolved.list = id;
  }
  // The tag or list is the query (`?tag=rust`, `?list=42`) and tells the stream's instances apart in its label.
  const query = new URLSearchParams(resolved as Record<string, string>);
  if (name.endsWith(':media')) query.set('only_media', 'true');
  const search = String(query);
  // `public:local:media` → `/api/v1/streaming/public/local?only_media=true` (media is the only_media flag).
  const pathAndQuery = `/api/v1/streaming/${name.replace(':media', '').replaceAll(':', '/')}${search && `?${search}`}`;
  return { name, pathAndQuery, streamLabel: [name, ...Object.values(resolved)], params: resolved };
};

/** Options of the public-timeline convenience method. */
export interface PublicStreamParams {
  /** Only statuses from this server. Cannot be combined with `remote`. */
  local?: boolean | undefined;
  /** Only statuses from other servers. Cannot be combined with `local`. */
  remote?: boolean | undefined;
  /** Only statuses with media attachments. */
  onlyMedia?: boolean | undefined;
}

/**
 * What `client.public` takes for `params`: `local` and `remote` both `true` does not compile, as the call refuses it
 * at run time (two flags known only at run time still do, and the call checks them). A generic over the argument,
 * not a union of the allowed shapes, so that a `PublicStreamParams` value and `boolean` flags stay accepted.
 */
export type PublicStreamArgument<Params> = Params extends { local: true; remote: true }
  ? Params & { 'local and remote cannot both be true': never }
  : PublicStreamParams;

/** Maps the public convenience flags to Mastodon's stream name. */
export const publicStreamName = ({ local, remote, onlyMedia }: PublicStreamParams = {}): StreamName => {
  if (local && remote) throw new MastodonArgumentError('`local` and `remote` cannot both be set');
  const base = local ? 'public:local' : remote ? 'public:remote' : 'public';
  return (onlyMedia ? `${base}:media` : base) as StreamName;
};

/** Every kind of event a stream carries: what a gap may hold when nothing is paged back (`catchUp: false`). */
export const kindsCarried = (stream: StreamName): GapKind[] => {
  if (stream === 'user') return ['statuses', 'notifications', 'deletes', 'edits', 'filters_changed', 'announcements', 'notifications_merged'];
  if (stream === 'user:notification') return ['notifications', 'edits', 'notifications_merged'];
  if (stream === 'direct') return ['conversations', 'deletes'];
  return ['statuses', 'deletes', 'edits'];
};
