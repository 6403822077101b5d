/**
 * Public entry point for the payload schemas and the entity types. Explicit list so the
 * public surface is reviewed, not inherited.
 */
export { AccountSchema, CustomEmojiSchema, type OpenEnum } from './schema-account.js';
export {
  StatusSchema,
  MediaAttachmentSchema,
  PollSchema,
  PreviewCardSchema,
  MentionSchema,
  StatusTagSchema,
  FilterResultSchema,
  QuoteSchema,
  ShallowQuoteSchema,
  QuoteApprovalSchema,
  type StatusVisibility,
  type QuoteState,
} from './schema-status.js';
export {
  NotificationSchema,
  ReportSchema,
  RelationshipSeveranceEventSchema,
  AccountWarningSchema,
  type NotificationType,
} from './schema-notification.js';
export { ConversationSchema } from './schema-conversation.js';
export { AnnouncementSchema, AnnouncementReactionPayloadSchema, ReactionSchema } from './schema-announcement.js';
// The types name only the fields the schemas know; the schemas' own outputs keep unknown keys (entities.ts).
export type {
  Account,
  CustomEmoji,
  Status,
  MediaAttachment,
  Poll,
  PreviewCard,
  Mention,
  StatusTag,
  FilterResult,
  Quote,
  ShallowQuote,
  QuoteApproval,
  Notification,
  Report,
  RelationshipSeveranceEvent,
  AccountWarning,
  Conversation,
  Announcement,
  AnnouncementStatus,
  AnnouncementReaction,
  Reaction,
} from './entities.js';
export { isKnownNotification, type KnownNotification, type KnownNotificationType, type NotificationOf } from './known-notification.js';
export {
  StatusEssentialsSchema,
  NotificationEssentialsSchema,
  ConversationEssentialsSchema,
  AnnouncementEssentialsSchema,
  AnnouncementReactionEssentialsSchema,
  essentialSchemas,
  type PayloadEvent,
} from './schema-essentials.js';
export { payloadSchemas, fullSchemas } from './full-schemas.js';
