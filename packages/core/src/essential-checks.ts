import type { PayloadEvent } from './schema-essentials.js';

// Hand-written twins of the valibot "essentials" schemas (schema-essentials.ts),
// used for the per-event verdict because they cost a few dozen nanoseconds
// where a valibot run costs over a microsecond on every event. The schemas
// stay the source of the types and of the issues reported when a check fails;
// a test holds each twin to its schema's verdict on real and mutated payloads.

type Check = (value: unknown) => boolean;

interface Loose {
  [key: string]: unknown;
}

// valibot's v.object() accepts any truthy object (arrays included); so do these.
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;
const isNullishObject = (value: unknown): boolean => value === undefined || value === null || isObject(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNullishString = (value: unknown): boolean => value === undefined || value === null || typeof value === 'string';
const isAccount = (value: unknown): boolean => isObject(value) && isString(value.id) && isString(value.acct);

const isStatus: Check = (value) =>
  isObject(value) &&
  isString(value.id) &&
  isString(value.created_at) &&
  isString(value.content) &&
  isString(value.visibility) &&
  isAccount(value.account) &&
  isNullishString(value.edited_at) &&
  isNullishObject(value.reblog) &&
  Array.isArray(value.media_attachments);

const isNotification: Check = (value) =>
  isObject(value) &&
  isString(value.id) &&
  isString(value.type) &&
  isString(value.created_at) &&
  isAccount(value.account) &&
  isNullishObject(value.status);

const isConversation: Check = (value) =>
  isObject(value) &&
  isString(value.id) &&
  Array.isArray(value.accounts) &&
  (value.unread === undefined || typeof value.unread === 'boolean') &&
  isNullishObject(value.last_status);

const isAnnouncement: Check = (value) => isObject(value) && isString(value.id) && isString(value.content);

const isAnnouncementReaction: Check = (value) =>
  isObject(value) && isString(value.name) && typeof value.count === 'number' && !Number.isNaN(value.count) && isString(value.announcement_id);

/** The cheap verdict per JSON-bearing event, equal to `v.is(essentialSchemas[event], value)`. */
export const essentialChecks: Readonly<Record<PayloadEvent, Check>> = {
  update: isStatus,
  'status.update': isStatus,
  notification: isNotification,
  conversation: isConversation,
  announcement: isAnnouncement,
  'announcement.reaction': isAnnouncementReaction,
};
