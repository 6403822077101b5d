import type { IncomingHttpHeaders } from 'node:http';
import type { ContentStore } from './content-store.js';
import type { StatusJson } from './entity-json.js';
import { renderForReader } from './reader-rendering.js';
import { accountForId } from './identities.js';
import type { PostStatusOptions } from './status-options.js';
import type { StatusOverrides } from './status-overrides.js';
import { extractRestToken, type RestRefusal } from './rest-authentication.js';
import { statusWriter, type StatusWriterContext } from './rest-status-writer.js';
import type { SourceTexts } from './source-texts.js';
import { idempotencyKeyOf, type IdempotencyKeys } from './idempotency-keys.js';
import { STATUS_VISIBILITY_VALUES, castVisibility, policyAllowsShow, type VisibilityContext } from './status-visibility.js';
import { railsParams, type RailsParams } from './rails-params.js';
import { postedStatusTags } from './status-hashtags.js';
import { postedText } from './status-service-fields.js';
import { rubyNumberText, rubyStrip } from './ruby-strings.js';
import { formatPlainText } from './plain-text-format.js';
import { sensitiveAsGiven } from './sensitive-param.js';
import { pollErrors, pollInputOf } from './poll-validation.js';
import { pollOfParam } from './rest-poll-param.js';
import { postedMediaRefusal } from './rest-media-ids.js';

/** What `POST /api/v1/statuses` needs from the server. */
export interface PostStatusContext extends StatusWriterContext, VisibilityContext {
  store: ContentStore;
  /** Where the posted text is kept, for the answers that render a status's source. */
  sourceTexts: SourceTexts;
  /** The `Idempotency-Key`s seen in the last hour. */
  idempotencyKeys: IdempotencyKeys;
  /** Creates, stores and fans out the status, as `FakeMastodon.postStatus` does; `sensitiveAsGiven` is stored as the status's `sensitive` whatever its warning. */
  postStatus: (partial: StatusOverrides, options: PostStatusOptions, sensitiveAsGiven?: boolean) => StatusJson;
}

/** `statuses.errors.in_reply_not_found` of Mastodon's en.yml, which `set_thread` answers with. */
const REPLY_TARGET_MISSING = 'The post you are trying to reply to does not appear to exist.';

/**
 * A text `visibility` the enum does not know (`secret`) is 422 `Visibility is not included in the
 * list`; a blank one (white space too) is nil to the enum, which then takes the account's default (`public` here).
 * `limited` is one of 4.5's values, which the fake does not model: it posts `public`.
 */
const visibilityErrors = (given: unknown): string[] => {
  // The text reaches the enum as it is (its `to_sym` is only compared), and the enum's cast makes a blank one, white space too, nil.
  const cast = typeof given === 'string' ? castVisibility(given) : undefined;
  return typeof cast === 'string' && !STATUS_VISIBILITY_VALUES.has(cast) ? ['Visibility is not included in the list'] : [];
};

/**
 * The text PostStatusService#call gets from `status` (`@options[:text] || ''`, app/services/post_status_service.rb):
 * `status_params` permits any scalar, so a JSON number stays a number, which is not blank and which the text
 * column casts with `to_s` ({@link rubyNumberText}). Anything else that is not a string (an array, a hash, which
 * `permit` drops) is no text.
 */
const textParam = (given: unknown): string => (typeof given === 'string' ? given : typeof given === 'number' ? rubyNumberText(given) : '');

/**
 * A status write's params, Rails' `request_parameters.merge(query_parameters)`: where both name a field, the query wins.
 *
 * @example
 * readFields(new URLSearchParams('status=a'), { status: 'b', language: 'de' }) // { status: 'a', language: 'de' }
 */
export function readFields(query: URLSearchParams, body: RailsParams): RailsParams {
  return { ...body, ...railsParams(query) };
}

/**
 * Answers `POST /api/v1/statuses` as Api::V1::StatusesController#create does, in Rails' order:
 * token and scope (`write` or `write:statuses`), `require_user!`, the reply target (404 unless it
 * exists and the poster may see it), the `Idempotency-Key` (a key this account used within the
 * hour answers the status it created then), `media_ids` (any is 422, as the fake has no uploads:
 * {@link postedMediaRefusal}), then validation (blank text: 422, unless a content
 * warning is given, which becomes the text: {@link postedText}; a `poll` 4.5 would refuse: 422,
 * {@link pollErrors}; a valid one is attached, {@link pollOfParam}). The status is
 * created by the token's account, stored and fanned out like `postStatus`, and rendered for its
 * author. Mentions and links are not processed; `#tags` are, as Mastodon finds and names
 * them ({@link postedStatusTags}).
 *
 * @example
 * answerPostStatus(req.headers, query, { status: 'hi' }, context) // { status: 200, body: { id: '…', … } }
 */
export function answerPostStatus(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  body: RailsParams,
  ctx: PostStatusContext,
): { status: number; body: unknown } {
  const refuse = (refusal: RestRefusal) => ({ status: refusal.status, body: { error: refusal.error } });
  const auth = statusWriter(headers, query, body, ctx);
  if (!('accountId' in auth)) return auth;
  const fields = readFields(query, body);
  const replyToId = fields['in_reply_to_id'] === undefined || fields['in_reply_to_id'] === '' ? undefined : String(fields['in_reply_to_id']);
  const thread = replyToId === undefined ? undefined : findThread(replyToId, auth.accountId, ctx);
  if (replyToId !== undefined && !thread) return refuse({ status: 404, error: REPLY_TARGET_MISSING });
  // PostStatusService looks the key up before it validates anything, so a repeat whose text is
  // now blank still gets the first status; `@account.statuses.find` 404s one deleted since.
  const idempotencyKey = idempotencyKeyOf(headers);
  const earlierId = idempotencyKey === undefined ? undefined : ctx.idempotencyKeys.statusIdFor(auth.accountId, idempotencyKey);
  if (earlierId !== undefined) {
    const earlier = ctx.store.getStatus(earlierId);
    if (!earlier) return refuse({ status: 404, error: 'Record not found' });
    return { status: 200, body: renderForReader(earlier.status, auth.accountId, ctx.viewers, 'single') };
  }
  // validate_media! runs before the status's own validations; no upload ever matches an id here.
  const pollInput = pollInputOf(fields['poll']);
  const mediaRefusal = postedMediaRefusal(fields['media_ids'], pollInput !== undefined);
  if (mediaRefusal !== undefined) return refuse({ status: 422, error: mediaRefusal });
  // A form's `sensitive=false` is truthy to PostStatusService, so the warning is not read (sensitiveAsGiven).
  const sensitive = sensitiveAsGiven(fields['sensitive']);
  const given = postedText(
    rubyStrip(textParam(fields['status'])),
    rubyStrip(typeof fields['spoiler_text'] === 'string' ? fields['spoiler_text'] : ''),
    sensitive ?? false,
  );
  const { text } = given;
  // Status's own validations come before its nested poll's (app/models/status.rb:105, :110), and the visibility enum's
  // (`validate: true`, app/models/concerns/status/visibility.rb:7-10, included at status.rb:45) before the text's.
  const errors = [...visibilityErrors(fields['visibility']), ...(text.trim() === '' ? ["Text can't be blank"] : []), ...(pollInput ? pollErrors(pollInput) : [])];
  if (errors.length > 0) return refuse({ status: 422, error: `Validation failed: ${errors.join(', ')}` });
  // Past the check above, a text is one of the enum's values, or blank (the default); `limited` is not modelled (public).
  const givenVisibility = fields['visibility'];
  const visibility = typeof givenVisibility === 'string' && givenVisibility !== 'limited' && STATUS_VISIBILITY_VALUES.has(givenVisibility) ? givenVisibility : 'public';
  const token = ctx.tokens.get(extractRestToken(headers, query, body) ?? '');
  const status = ctx.postStatus(
    {
      content: formatPlainText(text),
      // A blank text took the warning (postedText), which still made the status sensitive.
      spoiler_text: given.spoilerText,
      sensitive: sensitive ?? given.sensitive,
      in_reply_to_id: thread?.id ?? null,
      in_reply_to_account_id: thread?.account.id ?? null,
      ...(typeof fields['language'] === 'string' && fields['language'] !== '' ? { language: fields['language'] } : {}),
      // PostStatusService saves it with the status (poll_attributes, app/services/post_status_service.rb:234-238); postStatus sets its expires_at.
      ...(pollInput ? { poll: pollOfParam(pollInput, null, () => ctx.store.objectIds.next('polls')) } : {}),
    },
    {
      account: accountForId(auth.accountId, token?.acct),
      visibility: visibility as NonNullable<PostStatusOptions['visibility']>,
      // Hashtags reach hashtag streams and the tag timeline; the text itself is not linkified.
      tags: postedStatusTags(text),
    },
    sensitive,
  );
  ctx.sourceTexts.remember(status.id, text, status.content);
  if (idempotencyKey !== undefined) ctx.idempotencyKeys.remember(auth.accountId, idempotencyKey, status.id);
  return { status: 200, body: renderForReader(status, auth.accountId, ctx.viewers, 'single') };
}

/**
 * `set_thread`: the status replied to must exist and be visible to the poster
 * (`authorize(@thread, :show?)`). A status only a notification carries (one passed to `notify`)
 * has no routing facts, so it is taken as visible.
 */
function findThread(id: string, posterId: string, ctx: PostStatusContext): StatusJson | undefined {
  const stored = ctx.store.getStatus(id);
  if (stored) return policyAllowsShow(stored, posterId, ctx) ? stored.status : undefined;
  return ctx.store.findAttachedStatus(id);
}
