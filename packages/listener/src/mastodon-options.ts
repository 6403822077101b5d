import type { ClientOptions, StreamOptions } from '@tootstream/core';
import type { VersionCheckMode } from './version-gates.js';
import type { MastodonWarning } from './warning.js';

/**
 * Options of {@link Mastodon}; everything except the four declared here (`apiBaseUrl`, `requestTimeout`, `onWarning`,
 * `versionCheckMode`) passes through to `@tootstream/core`'s `createClient` (see the README for what of `streamDefaults` applies),
 * which refuses a name it does not have.
 */
export interface MastodonOptions extends Omit<ClientOptions, 'url' | 'restTimeoutMs' | 'streamDefaults'> {
  /**
   * Core's stream options that apply to the listener's streams: the event size bound and the hooks the listener leaves
   * to you. The rest (validation, timeouts, reconnect, catch-up, dedupe, `onError`, `onHeartbeat`, `onReconnecting`)
   * is set by each `stream*` call's own options, so they are not accepted here.
   */
  streamDefaults?: Pick<StreamOptions, 'maxEventBytes' | 'onStateChange' | 'onConnecting' | 'onOpen' | 'onStalled' | 'onGap' | 'onClose'> | undefined;
  /** The instance, e.g. `https://mastodon.social` (Mastodon.py `api_base_url`); a bare host (`mastodon.social`) is `https://`, as there. */
  apiBaseUrl: string;
  /**
   * Seconds a REST call and the wait for a stream's response headers may take (Mastodon.py `request_timeout`); a stream's
   * shorter `timeout` bounds its header wait too. `null` (Python's `None`) or `Infinity` is no limit. Default 300.
   */
  requestTimeout?: number | null | undefined;
  /** Receives non-fatal notices (feed availability). Default: `console.warn`. */
  onWarning?: ((warning: MastodonWarning) => void) | undefined;
  /** Mastodon.py's `version_check_mode`: reject with `MastodonVersionError` before connecting to a server too old for the stream. Default `'none'`. */
  versionCheckMode?: VersionCheckMode | undefined;
}

/** `streamPublic`'s own options. */
export interface PublicStreamOptions {
  /** Only statuses from this server (`/public/local`). */
  local?: boolean | undefined;
  /** Only statuses from other servers (`/public/remote`). Cannot be combined with `local`. */
  remote?: boolean | undefined;
  /** Only statuses with media (an addition; Mastodon.py lacks it). */
  onlyMedia?: boolean | undefined;
}

/**
 * What a `streamPublic` call takes for its options: `local` and `remote` both `true` does not compile, as the call
 * refuses it at run time (flags known only at run time still do, and the call checks them). Generic over the argument,
 * as core's `client.public` is, so that a `boolean` flag stays accepted.
 */
export type PublicStreamArgument<Options, Allowed> = Options extends { local: true; remote: true }
  ? Options & { 'local and remote cannot both be true': never }
  : Allowed;

/** `streamLocal`'s own option: the public stream's `onlyMedia` (`/public/local?only_media=true`). */
export type LocalStreamOptions = Pick<PublicStreamOptions, 'onlyMedia'>;

/** `streamHashtag`'s own options. */
export interface HashtagStreamOptions {
  /** Only statuses from this server (`/hashtag/local`). */
  local?: boolean | undefined;
}

/** A list id, or anything with an `id` (a list entity), as Mastodon.py accepts. */
export type ListIdLike = string | number | { id: string | number };
