/**
 * Public entry point for the payload schemas and their inferred types. Explicit list so the
 * public surface is reviewed, not inherited.
 */
export {
  AccountSchema,
  CustomEmojiSchema,
  type Account,
  type CustomEmoji,
  type OpenEnum,
} from './schema-account.js';
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
  type Status,
  type StatusVisibility,
  type MediaAttachment,
  type Poll,
  type PreviewCard,
  type Mention,
  type StatusTag,
  type FilterResult,
  type Quote,
  type QuoteState,
  type ShallowQuote,
  type QuoteApproval,
} from './schema-status.js';
export {
  NotificationSchema,
  ReportSchema,
  RelationshipSeveranceEventSchema,
  AccountWarningSchema,
  type Notification,
  type NotificationType,
  type Report,
  type RelationshipSeveranceEvent,
  type AccountWarning,
} from './schema-notification.js';
export { ConversationSchema, type Conversation } from './schema-conversation.js';
export {
  AnnouncementSchema,
  AnnouncementReactionPayloadSchema,
  ReactionSchema,
  type Announcement,
  type AnnouncementReaction,
  type Reaction,
} from './schema-announcement.js';
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
