import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// Mastodon builds a whole-word keyword's expression twice. The streaming server (Node, no `u`
// flag) only knows ASCII word characters: no boundary is put after `café`'s `é` nor around
// `日本`, and `stra` finds a boundary before `ß`. Rails (CustomFilterKeyword#to_regex) decides
// with Ruby's Unicode `[[:word:]]` and bounds with a Unicode-aware `\b`. So the same reader gets
// different `filtered` results on the public stream and from REST. alice = 1001.

const { start, openStream } = useFakePerTest();

async function restFiltered(s: FakeMastodon, id: string): Promise<string[][]> {
  const response = await fetch(`${s.url}/api/v1/statuses/${id}`, { headers: { Authorization: 'Bearer peer-test-token' } });
  const status = (await response.json()) as { filtered: Array<{ keyword_matches: string[] }> };
  return status.filtered.map((result) => result.keyword_matches);
}

const CASES = [
  // [keyword, text, streaming server's match, Rails' match]
  { keyword: 'café', text: 'Les cafés', streaming: [['café']], rails: [] },
  { keyword: 'café', text: 'Un CAFÉ, merci', streaming: [['CAFÉ']], rails: [['CAFÉ']] },
  { keyword: '日本', text: '日本語を話す', streaming: [['日本']], rails: [] },
  { keyword: '日本', text: '行き先: 日本', streaming: [['日本']], rails: [['日本']] },
  { keyword: 'stra', text: 'Die Straße', streaming: [['Stra']], rails: [] },
  { keyword: 'Straße', text: 'STRAßE gesperrt', streaming: [['STRAßE']], rails: [['STRAßE']] },
  { keyword: 'Straße', text: 'Hauptstraße', streaming: [], rails: [] },
];

describe('whole-word keywords with non-ASCII letters', () => {
  it('match with ASCII boundaries on the streaming server and Unicode boundaries in Rails', async () => {
    const s = await start();
    const stream = await openStream(s, 'public', 'peer-test-token');
    await s.waitForConnection((c) => c.stream === 'public' && c.isSubscribed);
    const posted: Array<{ id: string; keyword: string }> = [];
    for (const [index, { keyword, text }] of CASES.entries()) {
      // One filter at a time: a filter change reaches the open connection before the next status.
      s.viewer('1001').update({ keywordFilters: [{ id: String(index + 1), title: keyword, keywords: [keyword] }] });
      posted.push({ id: s.postStatus({ content: `<p>${text}</p>` }, { account: 'bob' }).id, keyword });
    }
    const streamed = (await eventsBeforeMarker(s, stream, 'public')).map((event) => {
      const status = JSON.parse(event.data) as { filtered: Array<{ keyword_matches: string[] }> };
      return status.filtered.map((result) => result.keyword_matches);
    });

    const rest: string[][][] = [];
    for (const [index, { id, keyword }] of posted.entries()) {
      s.viewer('1001').update({ keywordFilters: [{ id: String(index + 1), title: keyword, keywords: [keyword] }] });
      rest.push(await restFiltered(s, id));
    }
    expect(streamed).toEqual(CASES.map((entry) => entry.streaming));
    expect(rest).toEqual(CASES.map((entry) => entry.rails));
  });
});
