/**
 * Conversation schema: the `conversation` event on the `direct` stream and
 * `GET /api/v1/conversations` (2.6.0).
 */
import * as v from 'valibot';
import { AccountSchema } from './schema-account.js';
import { StatusSchema } from './schema-status.js';

/**
 * Validates a Conversation (direct-message thread). `accounts` lists the other participants
 * (not the viewer); `last_status` is `null` when every status of the thread is gone.
 * @example
 * const { accounts, last_status } = v.parse(ConversationSchema, json); console.log(accounts.map((account) => account.acct), last_status?.content);
 */
export const ConversationSchema = v.looseObject({
  id: v.string(),
  unread: v.boolean(),
  accounts: v.array(AccountSchema),
  last_status: v.nullable(StatusSchema),
});

/** A direct-message conversation. */
export type Conversation = v.InferOutput<typeof ConversationSchema>;
