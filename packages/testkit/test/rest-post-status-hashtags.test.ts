import { describe, expect, it } from 'vitest';
import type { StatusJson } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// PostStatusService → ProcessHashtagsService → Extractor.extract_hashtags, which scans the text
// with Tag::HASHTAG_RE (app/models/tag.rb): Ruby's [[:word:]] takes combining marks, `·`, `・`
// and ZWNJ join a tag's parts, a tag may follow `_` or `#` but not `=`, `/`, `)` or a letter,
// and `#foohttps://…` is `foo`. Tag.find_or_create_by_names keeps one tag per normalised name,
// which REST::StatusSerializer renders (Tag#name) and FanOutOnWriteService publishes to.

const { start, current, openStream } = useFakePerTest();

async function post(text: string): Promise<StatusJson> {
  const response = await fetch(`${current().url}/api/v1/statuses`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer peer-test-token' },
    body: JSON.stringify({ status: text }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as StatusJson;
}

const tagNames = (status: StatusJson): unknown[] => (status['tags'] as Array<{ name: unknown }>).map((tag) => tag.name);

describe('POST /api/v1/statuses finds hashtags as Tag::HASHTAG_RE does', () => {
  it('keeps combining marks and joined parts, and names each tag once as Rails does', async () => {
    await start();
    const status = await post('#cafe\u0301 #हिन्दी #ก่อน #می\u200cخواهم #a·b and #Café again');
    expect(tagNames(status)).toEqual(['cafe', 'हिनदी', 'ก่อน', 'می\u200cخواهم', 'a·b']);
  });

  it('starts a tag after `_` or `#` but not after `=`, `/`, `)` or a letter, and trims `http` before `://`', async () => {
    await start();
    const status = await post('x#word a=#query a/#path (#open )#closed _#under ##double #foohttps://example.com #1a #123');
    expect(tagNames(status)).toEqual(['open', 'under', 'double', 'foo', '1a']);
  });

  it('files the status under the whole tag, so its tag timeline and the streams keyed alike get it', async () => {
    const s = await start();
    const joined = await openStream(s, `hashtag?tag=${encodeURIComponent('a·b')}`, 'peer-test-token-bob');
    const persian = await openStream(s, `hashtag?tag=${encodeURIComponent('می\u200cخواهم')}`, 'peer-test-token-bob');
    const firstLetter = await openStream(s, `hashtag?tag=${encodeURIComponent('ह')}`, 'peer-test-token-bob');
    await s.waitForConnection((connection) => connection.tag === 'ह');
    const status = await post('#a·b #می\u200cخواهم #हिन्दी');
    const timeline = await fetch(`${s.url}/api/v1/timelines/tag/${encodeURIComponent('हिन्दी')}`);
    expect(((await timeline.json()) as StatusJson[]).map((item) => item.id)).toEqual([status.id]);
    const ids = async (reader: typeof joined) => (await eventsBeforeMarker(s, reader, { stream: 'hashtag' })).map((event) => (JSON.parse(event.data) as StatusJson).id);
    expect(await ids(joined)).toEqual([status.id]);
    expect(await ids(persian)).toEqual([status.id]);
    // Rails names the tag हिनदी, the streaming server keys this stream ह: they never meet.
    expect(await ids(firstLetter)).toEqual([]);
  });
});
