import type { StatusJson } from './entity-json.js';
import type { MentionJson } from './status-overrides.js';
import type { ViewerDirectory } from './viewers.js';

/**
 * `fields` without the mentions of accounts its local author blocks: Mastodon 4.5's
 * ProcessMentionsService#assign_mentions! ("Make sure we never mention blocked accounts",
 * app/services/process_mentions_service.rb:71-79) destroys those mentions whenever a local
 * status is posted or edited (:14, update_status_service.rb:136), so the status never lists them
 * and nobody notifies or delivers to them. A mentioned account that blocks the author keeps its
 * mention; NotifyService drops its notification (notify_service.rb:120). The domain half of
 * :78 is not modelled: it looks a domain name up in a set of AccountDomainBlock records (:74),
 * which never matches, so 4.5 keeps mentions of accounts on domains the author blocks.
 *
 * @example
 * dropBlockedMentions({ mentions: [alice, carol] }, '1002', viewers) // bob blocks carol: { mentions: [alice] }
 */
export function dropBlockedMentions<Fields extends { readonly mentions?: readonly MentionJson[] | undefined }>(fields: Fields, authorId: string, viewers: ViewerDirectory): Fields {
  const blocks = new Set(viewers.settingsOf(authorId).blocks);
  if (!Array.isArray(fields.mentions) || !fields.mentions.some((mention) => blocks.has(mention.id))) return fields;
  return { ...fields, mentions: fields.mentions.filter((mention) => !blocks.has(mention.id)) };
}

/**
 * `active_mentions … merge(Account.local)`: each account the status mentions that is local (the fake's local accounts
 * are those that own a token), once.
 *
 * @example
 * mentionedLocalIds(status, new Set(['1001'])) // ['1001'] when the status mentions alice and carol@remote
 */
export function mentionedLocalIds(status: StatusJson, local: ReadonlySet<string>): string[] {
  const ids = status.mentions.map((mention) => mention.id).filter((id): id is string => typeof id === 'string');
  return [...new Set(ids)].filter((id) => local.has(id));
}
