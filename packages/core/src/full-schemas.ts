import * as v from 'valibot';
import type { ValidationIssue } from './errors.js';
import type { PayloadEvent, PayloadValidator } from './essential-checks.js';
import { AnnouncementReactionPayloadSchema, AnnouncementSchema } from './schema-announcement.js';
import { ConversationSchema } from './schema-conversation.js';
import {
  AnnouncementEssentialsSchema,
  AnnouncementReactionEssentialsSchema,
  ConversationEssentialsSchema,
  NotificationEssentialsSchema,
  StatusEssentialsSchema,
} from './schema-essentials.js';
import { NotificationSchema } from './schema-notification.js';
import { StatusSchema } from './schema-status.js';

// The deep schemas are most of core's validation code, so `validate: 'full'`
// loads this module with a dynamic import: a separate chunk nobody else pays for.

/**
 * The deep schema per JSON-bearing event.
 *
 * @example
 * ```ts
 * import * as v from 'valibot';
 * import { fullSchemas } from '@tootstream/core/schemas';
 * const status = v.parse(fullSchemas.update, JSON.parse(restResponseText));
 * ```
 */
export const fullSchemas = {
  update: StatusSchema,
  'status.update': StatusSchema,
  notification: NotificationSchema,
  conversation: ConversationSchema,
  announcement: AnnouncementSchema,
  'announcement.reaction': AnnouncementReactionPayloadSchema,
} as const;

/**
 * Schemas per JSON-bearing event: `essentials` (cheap, the default) and `full` (deep, opt-in).
 * Id-bearing events (`delete`, `announcement.delete`) and `notifications_merged` are not JSON
 * and have no entry.
 *
 * @example
 * ```ts
 * import * as v from 'valibot';
 * import { payloadSchemas } from '@tootstream/core/schemas';
 * const value: unknown = JSON.parse(data);
 * const ok = v.is(payloadSchemas.update.essentials, value); // cheap verdict, keep `value`
 * const status = v.parse(payloadSchemas.update.full, value); // deep, typed as Status
 * ```
 */
export const payloadSchemas = {
  update: { essentials: StatusEssentialsSchema, full: StatusSchema },
  'status.update': { essentials: StatusEssentialsSchema, full: StatusSchema },
  notification: { essentials: NotificationEssentialsSchema, full: NotificationSchema },
  conversation: { essentials: ConversationEssentialsSchema, full: ConversationSchema },
  announcement: { essentials: AnnouncementEssentialsSchema, full: AnnouncementSchema },
  'announcement.reaction': {
    essentials: AnnouncementReactionEssentialsSchema,
    full: AnnouncementReactionPayloadSchema,
  },
} as const;


function toValidationIssue(issue: v.BaseIssue<unknown>): ValidationIssue {
  return { path: v.getDotPath(issue) ?? '', expected: issue.expected ?? '', received: issue.received, message: issue.message };
}

/** The deep validator per JSON-bearing event, for `validate: 'full'`. */
const fullValidators = Object.fromEntries(
  Object.entries(fullSchemas).map(([event, schema]): [string, PayloadValidator] => [
    event,
    // Called at the payload's root only, so `path` is ''. valibot walks a payload recursively: one nested deeper
    // than the stack is malformed, not a crash of the stream.
    (value, _path, issues) => {
      try {
        if (issues === undefined) return v.is(schema, value);
        // The first issue only: valibot otherwise lists every one, and a 1 MiB event of 340,000 empty media attachments
        // made two million of them (1.6 GB, the event loop blocked for 23 s; a catch-up item of 3 MB ran out of heap).
        const result = v.safeParse(schema, value, { abortEarly: true });
        for (const issue of result.issues ?? []) issues.push(toValidationIssue(issue));
        return result.success;
      } catch (cause) {
        issues?.push({ path: '', expected: 'a payload the schema can walk', received: 'too deeply nested', message: String(cause) });
        return false;
      }
    },
  ]),
) as Readonly<Record<PayloadEvent, PayloadValidator>>;

// The default export: the up-front code reads it off the loaded namespace, where no build shortens a name (chunk-loader.ts).
export default fullValidators;
