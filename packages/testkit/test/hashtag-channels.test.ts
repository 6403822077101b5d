import { describe, expect, it } from 'vitest';
import { normalizeTag, type FakeMastodon, type StatusJson } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';
import { TRANSPORTS, eventsBeforeMarker, openProbe, type ProbeStream, type StreamProbe } from './stream-probe.js';

// Rails publishes a status on `timeline:hashtag:<tag name>`, the name made by HashtagNormalizer
// (NFKC, downcase, ASCII folding, then everything but Ruby's [[:alnum:]] — Alphabetic or decimal
// digit — Thai marks U+0E47–U+0E4E, `_`, `·`, `・` and ZWNJ removed). The streaming server keys a
// subscription with utils.js normalizeHashtag, which removes every combining mark instead. Where
// the two names differ, the hashtag stream never receives the tag's statuses.

const perTest = useFakeServer<StreamProbe>();

/** [tag as typed, the streaming server's channel key, Rails' tag name] */
const SPLIT_TAGS: ReadonlyArray<readonly [string, string, string]> = [
  ['हिन्दी', 'हनद', 'हिनदी'], // vowel signs (Alphabetic) stay in Rails, the virama goes on both
  ['ก่อน', 'กอน', 'ก่อน'], // a Thai tone mark, which Rails adds back to its class
  ['عَرَبِيّة', 'عربية', 'عَرَبِيّة'], // Arabic harakat, Alphabetic for Ruby
  ['ΟΔΟΣ', 'οδος', 'οδοσ'], // Ruby's downcase has no final-sigma rule, JavaScript's has
];

function hashtagStream(tag: string): ProbeStream {
  const encoded = encodeURIComponent(tag);
  // The end marker goes to every hashtag channel, as no tag name reaches both sides here.
  return { ssePath: `/api/v1/streaming/hashtag?tag=${encoded}`, wsQuery: `stream=hashtag&tag=${encoded}`, target: { stream: 'hashtag' } };
}

function ids(events: Array<{ data: string | undefined }>): string[] {
  return events.map((event) => (JSON.parse(event.data ?? '{}') as StatusJson).id);
}

async function start(): Promise<FakeMastodon> {
  return perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
}

describe('normalizeTag (the streaming server’s channel key)', () => {
  it('removes combining marks, keeps numbers of every kind and lower-cases a final sigma', () => {
    for (const [tag, streamingKey] of SPLIT_TAGS) expect(normalizeTag(tag), tag).toBe(streamingKey);
    expect(normalizeTag('௰x')).toBe('௰x'); // U+0BF0, a number but not a decimal digit
    expect(normalizeTag('a・b')).toBe('ab'); // U+30FB is a separator for Rails only
  });
});

for (const transport of TRANSPORTS) {
  describe(`${transport}: hashtag streams of tags Rails names differently`, () => {
    it('never receive a status of a tag with combining marks or a final capital sigma', async () => {
      const s = await start();
      for (const [tag, streamingKey] of SPLIT_TAGS) {
        const probe = perTest.track(await openProbe(s, transport, hashtagStream(tag)));
        const subscribed = transport === 'sse' ? s.connections.at(-1)?.tag : s.webSockets.at(-1)?.subscriptions[0]?.tag;
        expect(subscribed, tag).toBe(streamingKey);
        const status = s.postStatus({}, { tags: [tag] });
        expect(await eventsBeforeMarker(s, probe, hashtagStream(tag).target), tag).toEqual([]);
        probe.close();
        // Rails looks the tag up by its own name, so its timeline has the status.
        const response = await fetch(`${s.url}/api/v1/timelines/tag/${encodeURIComponent(tag)}`, { headers: { Authorization: 'Bearer peer-test-token' } });
        expect((await response.json()).map((item: StatusJson) => item.id), tag).toContain(status.id);
      }
    });

    it('receive a status whose Rails name is the stream’s key, and tags without such marks as before', async () => {
      const s = await start();
      const arabic = perTest.track(await openProbe(s, transport, hashtagStream('عَرَبِيّة')));
      const bare = s.postStatus({}, { tags: ['عربية'] }); // written without harakat: Rails' name is the stream's key
      s.postStatus({}, { tags: ['عَرَبِيّة'] });
      expect(ids(await eventsBeforeMarker(s, arabic, { stream: 'hashtag' }))).toEqual([bare.id]);

      const thai = perTest.track(await openProbe(s, transport, hashtagStream('ภาษาไทย'))); // letters only
      const cafe = perTest.track(await openProbe(s, transport, hashtagStream('Café')));
      const thaiStatus = s.postStatus({}, { tags: ['ภาษาไทย'] });
      const cafeStatus = s.postStatus({}, { tags: ['CAFÉ'] });
      expect(ids(await eventsBeforeMarker(s, thai, { stream: 'hashtag' }))).toEqual([thaiStatus.id]);
      expect(ids(await eventsBeforeMarker(s, cafe, { stream: 'hashtag' }))).toEqual([cafeStatus.id]);
    });
  });
}
