import { describe, expect, it } from 'vitest';
import type { FakeMastodon, FakeMastodonOptions, StatusJson } from '@tootstream/testkit';
import { readFixtureText } from './fixtures.js';
import { PUBLIC, TRANSPORTS, eventsBeforeMarker, openProbe, type StreamProbe } from './stream-probe.js';
import { useFakeServer } from './fake-per-test.js';

/** One row of filter-scenarios.txt: nothing, or one event whose data ends with `suffix`. */
type Delivered = { event: string; suffix: string | undefined } | 'nothing';

function readScenarioRows(): Map<string, Delivered> {
  const rows = new Map<string, Delivered>();
  for (const line of readFixtureText('filter-scenarios.txt').split('\n')) {
    const match = /^\[([^\]]+)\] delivered: (?:(NOTHING)|event: (\S+)\s*(?:\| (.*))?)\s*$/.exec(line);
    if (!match?.[1]) continue;
    rows.set(match[1], match[2] ? 'nothing' : { event: match[3] ?? '', suffix: match[4]?.trimEnd() });
  }
  return rows;
}

const PEER_FILTER = { id: '5', title: 'Peer filter', keywords: ['peerfiltered'], context: ['home', 'public', 'thread'], action: 'warn' } as const;

/**
 * How each capture scenario is reproduced with the fixture identities (alice 1001 watches
 * /public; bob 1002 local; carol 1003 on remote.example). `before` runs before alice connects
 * (languages are read at connect), `act` after; it returns the status whose JSON the delivered
 * data must extend, if any.
 */
interface Scenario {
  options?: FakeMastodonOptions;
  before?: (server: FakeMastodon) => StatusJson | undefined;
  act: (server: FakeMastodon, earlier: StatusJson | undefined) => StatusJson | string | undefined;
}

const SCENARIOS: Record<string, Scenario> = {
  baseline: { act: (s) => s.postStatus({ language: 'en' }) },
  'lang-mismatch': { options: { viewers: { '1001': { languages: ['de'] } } }, act: (s) => s.postStatus({ language: 'en' }) },
  'lang-match': { options: { viewers: { '1001': { languages: ['en'] } } }, act: (s) => s.postStatus({ language: 'en' }) },
  // Only a remote status has no language: PostStatusService gives a local one the default locale.
  'lang-null-with-chosen': { options: { viewers: { '1001': { languages: ['en'] } } }, act: (s) => s.postStatus({ language: null }, { local: false }) },
  'lang-null-no-chosen': { act: (s) => s.postStatus({ language: null }, { local: false }) },
  'alice-blocks-bob': { options: { viewers: { '1001': { blocks: ['1002'] } } }, act: (s) => s.postStatus({}, { account: 'bob' }) },
  'bob-blocks-alice': { options: { viewers: { '1002': { blocks: ['1001'] } } }, act: (s) => s.postStatus({}, { account: 'bob' }) },
  'alice-mutes-bob': { options: { viewers: { '1001': { mutes: ['1002'] } } }, act: (s) => s.postStatus({}, { account: 'bob' }) },
  'remote-ok': { act: (s) => s.postStatus({}, { account: 'carol' }) },
  'domain-block': { options: { viewers: { '1001': { domainBlocks: ['remote.example'] } } }, act: (s) => s.postStatus({}, { account: 'carol' }) },
  'keyword-filter': {
    options: { viewers: { '1001': { keywordFilters: [PEER_FILTER] } } },
    act: (s) => s.postStatus({ content: '<p>this one is peerfiltered, twice: peerfiltered</p>' }, { account: 'bob' }),
  },
  'local-feed-disabled': { options: { timelinesAccess: { liveFeeds: { local: 'disabled' } } }, act: (s) => s.postStatus() },
  'remote-under-local-disabled': {
    options: { timelinesAccess: { liveFeeds: { local: 'disabled' } } },
    act: (s) => s.postStatus({}, { account: 'carol' }),
  },
  'status-update-blocked': {
    options: { viewers: { '1001': { blocks: ['1002'] } } },
    before: (s) => s.postStatus({}, { account: 'bob' }),
    act: (s, earlier) => void s.editStatus(earlier?.id ?? '', { content: '<p>edited</p>' }),
  },
  'delete-not-filtered': {
    options: { viewers: { '1001': { blocks: ['1002'] } } },
    before: (s) => s.postStatus({}, { account: 'bob' }),
    act: (s, earlier) => {
      s.deleteStatus(earlier?.id ?? '');
      return earlier?.id;
    },
  },
  'no-payload-update': { act: (s) => void s.publish('public', 'update') },
  'empty-string-payload': { act: (s) => void s.publish('public', 'update', '') },
  'non-json': { act: (s) => void s.publish('public', 'update', 'not json at all') },
};

const perTest = useFakeServer<StreamProbe>();

const rows = readScenarioRows();

describe('filter-scenarios.txt: what 4.5.7 delivered on /public, row by row', () => {
  it('has a reproduction for every row and no extra ones', () => {
    expect(rows.size).toBe(18);
    expect([...rows.keys()].sort()).toEqual(Object.keys(SCENARIOS).sort());
  });

  for (const transport of TRANSPORTS) {
    for (const [name, expected] of rows) {
      it(`${transport}: ${name}`, async () => {
        const scenario = SCENARIOS[name];
        if (!scenario) throw new Error(`no reproduction for ${name}`);
        const server = await perTest.start(scenario.options);
        const earlier = scenario.before?.(server);
        const probe = perTest.track(await openProbe(server, transport, PUBLIC));
        const subject = scenario.act(server, earlier);
        const delivered = await eventsBeforeMarker(server, probe, PUBLIC.target);

        if (expected === 'nothing') return expect(delivered).toEqual([]);
        expect(delivered.map((event) => event.event)).toEqual([expected.event]);
        const data = delivered[0]?.data ?? '';
        if (expected.suffix === undefined) return expect(data).toBe(subject);
        // The whole status as published, with `filtered` appended as the last key and the exact
        // bytes of the capture from there on.
        expect(typeof subject).toBe('object');
        expect(data).toBe(`${JSON.stringify(subject).slice(0, -1)},${expected.suffix}`);
      });
    }
  }

  it('the keyword-filter row carries the exact filtered JSON of the capture', () => {
    const row = rows.get('keyword-filter');
    expect(row).toEqual({
      event: 'update',
      suffix:
        '"filtered":[{"filter":{"id":"5","title":"Peer filter","context":["home","public","thread"],"expires_at":null,"filter_action":"warn"},"keyword_matches":["peerfiltered"],"status_matches":null}]}',
    });
  });
});
