import { KNOWN_ACCOUNTS } from './identities.js';
import { openTimelinesAccess, timelinesAccessJson, type TimelinesAccess } from './timelines-access.js';

/** Facts the instance documents are built from. */
export interface InstanceFacts {
  /** `127.0.0.1:PORT` */
  domain: string;
  /** Advertised streaming URL, e.g. `ws://127.0.0.1:PORT`. */
  streamingUrl: string;
  /** The server's feed access settings; every feed open when omitted. */
  timelinesAccess?: TimelinesAccess;
}

const VERSION = '4.5.7';

/**
 * `GET /api/v1/instance` (deprecated since 4.0): discovery reads `urls.streaming_api`.
 *
 * @example
 * instanceV1({ domain: '127.0.0.1:4000', streamingUrl: 'ws://127.0.0.1:4000' }).urls
 */
export function instanceV1(facts: InstanceFacts): Record<string, unknown> {
  return {
    uri: facts.domain,
    title: 'tootstream fake Mastodon',
    short_description: 'A fake Mastodon server for tests.',
    description: 'A fake Mastodon server for tests.',
    email: 'admin@peer.example',
    version: VERSION,
    urls: { streaming_api: facts.streamingUrl },
    stats: { user_count: 2, status_count: 0, domain_count: 1 },
    thumbnail: null,
    languages: ['en'],
    registrations: false,
    approval_required: false,
    invites_enabled: false,
    configuration: {
      accounts: { max_featured_tags: 10 },
      statuses: { max_characters: 500, max_media_attachments: 4, characters_reserved_per_url: 23 },
    },
    contact_account: KNOWN_ACCOUNTS.alice,
    rules: [],
  };
}

/**
 * `GET /api/v2/instance`: discovery reads `configuration.urls.streaming`; 4.5 adds
 * `configuration.timelines_access`.
 *
 * @example
 * instanceV2(facts) // { …, configuration: { urls: { streaming: 'ws://127.0.0.1:4000', … }, … } }
 */
export function instanceV2(facts: InstanceFacts): Record<string, unknown> {
  return {
    domain: facts.domain,
    title: 'tootstream fake Mastodon',
    version: VERSION,
    source_url: 'https://github.com/mastodon/mastodon',
    description: 'A fake Mastodon server for tests.',
    usage: { users: { active_month: 2 } },
    thumbnail: { url: 'https://peer.example/packs/media/images/preview.png' },
    icon: [],
    languages: ['en'],
    configuration: {
      urls: {
        streaming: facts.streamingUrl,
        status: null,
        about: `http://${facts.domain}/about`,
        privacy_policy: `http://${facts.domain}/privacy-policy`,
        terms_of_service: null,
      },
      vapid: { public_key: '' },
      accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
      statuses: { max_characters: 500, max_media_attachments: 4, characters_reserved_per_url: 23 },
      media_attachments: { supported_mime_types: ['image/png', 'image/jpeg'], description_limit: 1500 },
      polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2629746 },
      translation: { enabled: false },
      timelines_access: timelinesAccessJson(facts.timelinesAccess ?? openTimelinesAccess()),
      limited_federation: false,
    },
    registrations: { enabled: false, approval_required: false, reason_required: false, message: null, url: null },
    api_versions: { mastodon: 7 },
    contact: { email: 'admin@peer.example', account: KNOWN_ACCOUNTS.alice },
    rules: [],
  };
}
