import type { IncomingHttpHeaders } from 'node:http';
import type { ContentStore } from './content-store.js';
import type { StatusJson } from './entity-json.js';
import { formatPlainText } from './plain-text-format.js';
import { pollErrors, pollInputOf } from './poll-validation.js';
import type { RailsParams } from './rails-params.js';
import { renderForReader } from './reader-rendering.js';
import { pollOfParam } from './rest-poll-param.js';
import { MEDIA_LIMIT, mediaIdsParam } from './rest-media-ids.js';
import { readFields } from './rest-post-status.js';
import { NOT_FOUND, type RestAnswer } from './rest-statuses.js';
import { statusWriter, type StatusWriterContext } from './rest-status-writer.js';
import { isRubyPresent, rubyStrip, rubyToI } from './ruby-strings.js';
import { sensitiveAsGiven } from './sensitive-param.js';
import type { SourceTexts } from './source-texts.js';
import type { StatusOverrides } from './status-overrides.js';
import type { VisibilityContext } from './status-visibility.js';

/** What `PUT /api/v1/statuses/:id` needs from the server. */
export interface UpdateStatusContext extends StatusWriterContext, VisibilityContext {
  store: ContentStore;
  sourceTexts: SourceTexts;
  /** Edits the status as `FakeMastodon.editStatus` does; `sensitiveAsGiven` is stored as its `sensitive` whatever its warning. */
  editStatus: (id: string, changes: StatusOverrides, sensitiveAsGiven?: boolean) => StatusJson;
}

const refuse = (status: number, error: string): RestAnswer => ({ status, body: { error } });

/**
 * Answers `PUT` (and `PATCH`, the same route) `/api/v1/statuses/:id` as
 * Api::V1::StatusesController#update does (app/controllers/api/v1/statuses_controller.rb:105-123):
 * the write token and the user ({@link statusWriter}), the caller's own status (another's or an
 * unknown one is 404 `Record not found`, :106), then UpdateStatusService in its order
 * (app/services/update_status_service.rb:26-32). The controller hands it every parameter, given
 * or not, so a left-out one is an empty one:
 * - `media_ids` (:49-83): more than 4, or any with a `poll`, is 422 `Cannot attach more than 4
 *   files`; one the status does not already carry is 422 `Media … not found or already attached
 *   to another post` (the fake has no media uploads); the status keeps those given, in that
 *   order, so leaving them out removes its media;
 * - `poll` (:85-111): a poll 4.5 refuses is 422 `Validation failed: …` ({@link pollErrors}); a valid
 *   one replaces the status's ({@link pollOfParam}, votes reset as 4.5 resets them), and none
 *   removes the status's poll;
 * - the text (:114): a blank `status` takes the `spoiler_text` as its text (which then leaves the
 *   warning as it was); `spoiler_text` left out clears the warning (:115); `sensitive` is the given
 *   one or whether a warning is given (:116, a form's `sensitive=false` stays false:
 *   {@link sensitiveAsGiven}); `language` cascades from the given one to the status's (:117);
 * - a text still blank on a status without media is 422 `Validation failed: Text can't be blank`
 *   (app/models/status.rb:105), unless the status is a boost, which needs no text.
 * The edit is then the scripted `editStatus` (no change: no edit, nothing streamed), and the
 * answer the status as it now is, rendered for its author. A boost of one's own is edited too
 * (StatusPolicy#update? only asks for ownership, app/policies/status_policy.rb:41-43): its own
 * fields change (its `content`, warning, language, `edited_at`), and nothing is streamed.
 *
 * @example
 * answerUpdateStatus('109348', req.headers, query, { status: 'fixed' }, context) // { status: 200, body: { content: '<p>fixed</p>', edited_at: '…', … } }
 */
export function answerUpdateStatus(id: string, headers: IncomingHttpHeaders, query: URLSearchParams, body: RailsParams, ctx: UpdateStatusContext): RestAnswer {
  const writer = statusWriter(headers, query, body, ctx);
  if (!('accountId' in writer)) return writer;
  const stored = ctx.store.getStatus(id);
  if (!stored || stored.status.account.id !== writer.accountId) return NOT_FOUND;
  const fields = readFields(query, body);
  const pollInput = pollInputOf(fields['poll']);
  const media = mediaAfterEdit(stored.status, fields['media_ids'], pollInput !== undefined);
  if (typeof media === 'string') return refuse(422, media);
  const errors = pollInput ? pollErrors(pollInput) : [];
  if (errors.length > 0) return refuse(422, `Validation failed: ${errors.join(', ')}`);
  const given = typeof fields['status'] === 'string' ? fields['status'] : '';
  const warning = typeof fields['spoiler_text'] === 'string' ? fields['spoiler_text'] : '';
  const text = rubyStrip(isRubyPresent(given) ? given : warning);
  // Only compared when the status changes; a blank text never matches the text it had. A boost needs none (app/models/status.rb:105).
  if (!isRubyPresent(text) && media.length === 0 && stored.status.reblog == null) return refuse(422, "Validation failed: Text can't be blank");
  const changes: StatusOverrides = {
    // A blank `content` with a `spoiler_text` is editStatus's form of :114: the warning becomes the text.
    content: isRubyPresent(given) ? formatPlainText(text) : '',
    spoiler_text: warning,
    sensitive: false,
    language: typeof fields['language'] === 'string' ? fields['language'] : null,
    media_attachments: media,
    poll: pollInput ? pollOfParam(pollInput, stored.status.poll, () => ctx.store.objectIds.next('polls')) : null,
  };
  const edited = ctx.editStatus(id, changes, sensitiveAsGiven(fields['sensitive']));
  ctx.sourceTexts.remember(id, text, edited.content);
  return { status: 200, body: renderForReader(edited, writer.accountId, ctx.viewers, 'single') };
}

/** The media the status keeps (UpdateStatusService#update_media_attachments!, #validate_media!), or the 422 message. */
function mediaAfterEdit(status: StatusJson, param: unknown, withPoll: boolean): ReadonlyArray<Record<string, unknown>> | string {
  const given = mediaIdsParam(param);
  if (given.length === 0) return [];
  if (given.length > MEDIA_LIMIT || withPoll) return 'Cannot attach more than 4 files';
  // A scripted attachment may be anything (null from plain JavaScript): only one with an id can be kept.
  const attachments = (Array.isArray(status.media_attachments) ? status.media_attachments : []).filter((attachment) => attachment !== null && typeof attachment === 'object' && attachment['id'] != null);
  const held = new Map(attachments.map((attachment) => [rubyToI(String(attachment['id'])), attachment]));
  const missing = given.filter((mediaId) => !held.has(mediaId));
  if (missing.length > 0) return `Media ${missing.join(', ')} not found or already attached to another post`;
  // `media_ids.map(&:to_i) & found`: the given order, each once.
  return [...new Set(given)].flatMap((mediaId) => {
    const attachment = held.get(mediaId);
    return attachment ? [attachment] : [];
  });
}
