import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  AccountSchema,
  AnnouncementReactionPayloadSchema,
  AnnouncementSchema,
  ConversationSchema,
  FilterResultSchema,
  MediaAttachmentSchema,
  NotificationEssentialsSchema,
  NotificationSchema,
  PollSchema,
  PreviewCardSchema,
  StatusEssentialsSchema,
  StatusSchema,
  payloadSchemas,
} from '../src/schemas.js';
import type { PayloadEvent } from '../src/schemas.js';

const FIXTURES = fileURLToPath(new URL('../../testkit/fixtures/real-mastodon-4.5.7', import.meta.url));

interface FixturePayload {
  file: string;
  event: PayloadEvent;
  data: string;
}

/** Pairs each `event:` line with the `data:` line that follows it in the raw SSE captures. */
function loadFixturePayloads(): FixturePayload[] {
  const out: FixturePayload[] = [];
  for (const file of readdirSync(FIXTURES).filter((f) => /^sse-.*\.raw$/.test(f)).sort()) {
    const lines = readFileSync(`${FIXTURES}/${file}`, 'utf8').split(/\r?\n/);
    let event: string | undefined;
    for (const line of lines) {
      if (line.startsWith('event: ')) event = line.slice('event: '.length);
      else if (line.startsWith('data: ') && event !== undefined) {
        if (event in payloadSchemas) {
          out.push({ file, event: event as PayloadEvent, data: line.slice('data: '.length) });
        }
        event = undefined;
      }
    }
  }
  return out;
}

const payloads = loadFixturePayloads();

// A fresh parse per call so each test may mutate freely; `sse-user.raw` first, since it
// carries every event except `conversation`.
const fixture = (event: PayloadEvent): Record<string, unknown> => {
  const found =
    payloads.find((p) => p.event === event && p.file === 'sse-user.raw') ??
    payloads.find((p) => p.event === event);
  if (!found) throw new Error(`no fixture for ${event}`);
  return JSON.parse(found.data) as Record<string, unknown>;
};

const paths = (result: v.SafeParseResult<v.GenericSchema>) =>
  (result.issues ?? []).map((issue) => v.getDotPath(issue));

describe('fixture payloads', () => {
  it('covers every JSON-bearing event', () => {
    const seen = new Set(payloads.map((p) => p.event));
    expect([...seen].sort()).toEqual(Object.keys(payloadSchemas).sort());
  });

  it.each(payloads.map((p) => [`${p.file} ${p.event}`, p] as const))(
    '%s passes essentials and full',
    (_name, { event, data }) => {
      const value: unknown = JSON.parse(data);
      const { essentials, full } = payloadSchemas[event];
      const cheap = v.safeParse(essentials, value);
      expect(cheap.issues).toBeUndefined();
      const deep = v.safeParse(full, value);
      expect(deep.issues).toBeUndefined();
      // Full schemas keep every key (looseObject), so the output mirrors the input.
      expect(deep.output).toEqual(value);
    },
  );
});

describe('leniency', () => {
  it('accepts unknown keys everywhere and keeps them in full output', () => {
    const status = fixture('update');
    status.some_fork_field = { nested: true };
    (status.account as Record<string, unknown>).pronouns = 'they/them';
    const parsed = v.parse(StatusSchema, status);
    // The types name only the known fields; the others are read as the README says, through Record<string, unknown>.
    expect((parsed as Record<string, unknown>)['some_fork_field']).toEqual({ nested: true });
    expect((parsed.account as Record<string, unknown>)['pronouns']).toBe('they/them');
    expect(v.is(StatusEssentialsSchema, status)).toBe(true);
  });

  it('essentials do not copy unknown keys', () => {
    const status = fixture('update');
    const out = v.parse(StatusEssentialsSchema, status);
    expect(Object.keys(out).sort()).toEqual(
      ['account', 'content', 'created_at', 'edited_at', 'id', 'media_attachments', 'reblog', 'visibility'],
    );
  });

  it('accepts unknown enum values', () => {
    const status = fixture('update');
    status.visibility = 'local';
    expect(v.parse(StatusSchema, status).visibility).toBe('local');
    expect(v.is(StatusEssentialsSchema, status)).toBe(true);

    const notification = fixture('notification');
    notification.type = 'quoted_update';
    expect(v.parse(NotificationSchema, notification).type).toBe('quoted_update');
    notification.type = 'some_fork_type';
    expect(v.is(NotificationSchema, notification)).toBe(true);
    expect(v.is(NotificationEssentialsSchema, notification)).toBe(true);

    expect(
      v.is(MediaAttachmentSchema, {
        id: '1',
        type: 'model3d',
        url: null,
        preview_url: null,
        remote_url: null,
        description: null,
      }),
    ).toBe(true);
    expect(v.is(PreviewCardSchema, { url: 'u', title: 't', description: 'd', type: 'podcast' })).toBe(true);
  });

  it('accepts streaming-computed filter results without filter_action', () => {
    const result = {
      filter: { id: '5', title: 'Peer filter', context: ['home', 'public'], expires_at: null },
      keyword_matches: ['peerfiltered'],
      status_matches: null,
    };
    expect(v.is(FilterResultSchema, result)).toBe(true);
    const status = fixture('update');
    status.filtered = [result];
    expect(v.is(StatusSchema, status)).toBe(true);
  });

  it('accepts statuses without viewer fields, edited_at or newer 4.5 fields', () => {
    const status = fixture('update');
    for (const key of ['edited_at', 'quotes_count', 'quote', 'application']) delete status[key];
    expect(v.is(StatusSchema, status)).toBe(true);
    expect(v.is(StatusEssentialsSchema, status)).toBe(true);
  });

  it('accepts notifications without status or group_key, and with status null', () => {
    const notification = fixture('notification');
    delete notification.group_key;
    delete notification.status;
    notification.type = 'follow';
    expect(v.is(NotificationSchema, notification)).toBe(true);
    notification.status = null;
    expect(v.is(NotificationSchema, notification)).toBe(true);
    expect(v.is(NotificationEssentialsSchema, notification)).toBe(true);
  });

  it('accepts an announcement without read, and custom-emoji reactions', () => {
    const announcement = fixture('announcement');
    delete announcement.read;
    announcement.reactions = [{ name: 'blobcat', count: 2, url: 'https://x/e.png', static_url: 'https://x/s.png' }];
    expect(v.is(AnnouncementSchema, announcement)).toBe(true);
    expect(
      v.is(AnnouncementReactionPayloadSchema, {
        name: 'blobcat',
        count: 3,
        announcement_id: '5',
        url: 'https://x/e.png',
        static_url: 'https://x/s.png',
      }),
    ).toBe(true);
  });

  it('accepts what Mastodon 4.5 renders as null: a boost\'s application, a mention\'s url, an announcement status\'s url', () => {
    // A boost records no app (ReblogService), and the serializer renders `application` whenever the author shares it
    // (the default): every boost by a local account comes with "application": null.
    const boost = fixture('update');
    boost.reblog = fixture('update');
    boost.application = null;
    expect(paths(v.safeParse(StatusSchema, boost))).toEqual([]);
    expect(v.is(StatusEssentialsSchema, boost)).toBe(true);
    // An account row without a URL (OStatus-era remotes): the mention's url has no fallback.
    const mentioning = fixture('update');
    mentioning.mentions = [{ id: '7', username: 'old', url: null, acct: 'old@ostatus.example' }];
    expect(paths(v.safeParse(StatusSchema, mentioning))).toEqual([]);
    const announcement = fixture('announcement');
    announcement.mentions = [{ id: '7', username: 'old', url: null, acct: 'old@ostatus.example' }];
    announcement.statuses = [{ id: '9', url: null }]; // a remote boost's url
    expect(paths(v.safeParse(AnnouncementSchema, announcement))).toEqual([]);
  });

  it('accepts a hidden-results poll', () => {
    const poll = {
      id: '34830',
      expires_at: null,
      expired: false,
      multiple: false,
      votes_count: 10,
      voters_count: null,
      options: [{ title: 'a', votes_count: null }],
      emojis: [],
    };
    expect(v.is(PollSchema, poll)).toBe(true);
  });
});

describe('recursion', () => {
  it('validates reblog and quote deeply', () => {
    const original = fixture('update');
    const boost = fixture('update');
    boost.id = '202';
    boost.reblog = original;
    expect(v.parse(StatusSchema, boost).reblog?.id).toBe('201');

    (original as Record<string, unknown>).id = 201;
    const issues = v.safeParse(StatusSchema, boost);
    expect(issues.success).toBe(false);
    expect(paths(issues)).toContain('reblog.id');

    const quoting = fixture('update');
    quoting.quote = { state: 'accepted', quoted_status: fixture('update') };
    expect(v.is(StatusSchema, quoting)).toBe(true);
    quoting.quote = { state: 'pending', quoted_status_id: null };
    expect(v.is(StatusSchema, quoting)).toBe(true);
    quoting.quote = { state: 'blocked_by_fork', quoted_status: null };
    expect(v.is(StatusSchema, quoting)).toBe(true);
  });

  it('validates a moved account recursively', () => {
    const account = fixture('update').account as Record<string, unknown>;
    expect(v.is(AccountSchema, { ...account, moved: { ...account, id: '9' } })).toBe(true);
    expect(v.is(AccountSchema, { ...account, moved: { ...account, id: 9 } })).toBe(false);
  });
});

describe('rejection', () => {
  it('rejects a missing required field with a useful issue', () => {
    const status = fixture('update');
    delete status.content;
    for (const schema of [StatusSchema, StatusEssentialsSchema]) {
      const result = v.safeParse(schema, status);
      expect(result.success).toBe(false);
      expect(paths(result)).toEqual(['content']);
      expect(result.issues?.[0]?.message).toBe('Invalid key: Expected "content" but received undefined');
    }
  });

  it('rejects a numeric id', () => {
    const status = fixture('update');
    status.id = 201;
    for (const schema of [StatusSchema, StatusEssentialsSchema]) {
      const result = v.safeParse(schema, status);
      expect(paths(result)).toEqual(['id']);
      expect(result.issues?.[0]?.message).toBe('Invalid type: Expected string but received 201');
    }

    const notification = fixture('notification');
    (notification.account as Record<string, unknown>).id = 1002;
    expect(paths(v.safeParse(NotificationSchema, notification))).toEqual(['account.id']);
    expect(paths(v.safeParse(NotificationEssentialsSchema, notification))).toEqual(['account.id']);
  });

  it('rejects a non-string enum value with a readable message', () => {
    const status = fixture('update');
    status.visibility = 3;
    const result = v.safeParse(StatusSchema, status);
    expect(paths(result)).toEqual(['visibility']);
    expect(result.issues?.[0]?.message).toBe('Invalid type: Expected string but received 3');
  });

  it('rejects malformed essentials-level shapes', () => {
    const conversation = fixture('conversation');
    conversation.accounts = {};
    const result = v.safeParse(payloadSchemas.conversation.essentials, conversation);
    expect(paths(result)).toEqual(['accounts']);
    expect(result.issues?.[0]?.message).toBe('Invalid type: Expected Array but received Object');
    expect(v.is(ConversationSchema, conversation)).toBe(false);

    expect(v.is(payloadSchemas['announcement.reaction'].essentials, { name: '👍', count: '1', announcement_id: '5' })).toBe(
      false,
    );
    expect(v.is(payloadSchemas.update.essentials, null)).toBe(false);
    expect(v.is(payloadSchemas.update.full, [])).toBe(false);
  });
});

describe('ids', () => {
  it('keeps huge ids as exact strings', () => {
    const huge = '117693793801674262999';
    const notification = fixture('notification');
    notification.id = huge;
    (notification.status as Record<string, unknown>).id = huge;
    const parsed = v.parse(NotificationSchema, notification);
    expect(parsed.id).toBe(huge);
    expect(parsed.status?.id).toBe(huge);
    expect(v.parse(NotificationEssentialsSchema, notification).id).toBe(huge);
    // The fixture's own 18-digit status id survives too.
    expect(v.parse(NotificationSchema, fixture('notification')).status?.id).toBe('117693793801674262');
  });
});
