import { describe, expect, it } from 'vitest';
import {
  chaosSeeds,
  checkChaosConnectionOrder,
  checkChaosNotifications,
  checkChaosStatuses,
  checkChaosStreamsClosed,
  createChaosServer,
  createFakeMastodon,
  recordStream,
  type ChaosLedger,
  type FakeMastodon,
} from '@tootstream/testkit';
import { emptyChaosLedger } from '../src/chaos-ledger.js';
import { useFakeServer } from './fake-per-test.js';
import { StreamReader, sleep } from './sse-client.js';

// A misspelt option used to be dropped without a word: the test then ran on the default and
// passed, or failed, for the wrong reason. Every options object the testkit takes now refuses a
// name its type does not have, at the call and before it changes anything.
const perTest = useFakeServer<StreamReader>();

/** A JavaScript caller, or a cast, gets past the types: what the testkit itself then does. */
const misspelt = <T>(options: unknown): T => options as T;

describe('createFakeMastodon', () => {
  it('rejects a misspelt option with a TypeError that names it and the option meant', async () => {
    const refused = createFakeMastodon(misspelt({ heartbeatIntervallMs: 20 }));
    await expect(refused).rejects.toThrow(TypeError);
    await expect(refused).rejects.toThrow("createFakeMastodon: unknown option 'heartbeatIntervallMs' (did you mean 'heartbeatIntervalMs'?)");
  });

  it.each([
    ['snake case', { heartbeat_interval_ms: 20 }, "unknown option 'heartbeat_interval_ms' (did you mean 'heartbeatIntervalMs'?)"],
    ['another letter case', { streamingpath: '/x' }, "unknown option 'streamingpath' (did you mean 'streamingPath'?)"],
    ['two letters swapped', { tokesn: {} }, "unknown option 'tokesn' (did you mean 'tokens'?)"],
    ['nothing close: every option is listed', { verbose: true }, "unknown option 'verbose' (known options: port, heartbeatIntervalMs, heartbeatStyle, eventWrites, tokens,"],
    // No option type has the name, so undefined is no "left out" there: it is as misspelt as any value.
    ['a misspelt option set to undefined', { subscribeDelay: undefined }, "unknown option 'subscribeDelay' (did you mean 'subscribeDelayMs'?)"],
  ])('%s', async (_, options, message) => {
    await expect(createFakeMastodon(misspelt(options))).rejects.toThrow(`createFakeMastodon: ${message}`);
  });

  it.each([
    ['a token', { tokens: { mine: { accountID: '1001' } } }, "unknown option 'accountID' in tokens['mine'] (did you mean 'accountId'?)"],
    ['a token without its account', { tokens: { mine: { scopes: ['read'] } } }, "option 'accountId' in tokens['mine'] is required (it has no default), got undefined"],
    ['a viewer', { viewers: { '1001': { langauges: ['en'] } } }, "unknown option 'langauges' in viewers['1001'] (did you mean 'languages'?)"],
    [
      "a viewer's keyword filter",
      { viewers: { '1001': { keywordFilters: [{ id: '5', title: 't', keywords: ['x'], expires_at: null }] } } },
      "unknown option 'expires_at' in viewers['1001'].keywordFilters[0] (did you mean 'expiresAt'?)",
    ],
    [
      'a keyword given as an object',
      { viewers: { '1001': { keywordFilters: [{ id: '5', title: 't', keywords: ['x', { keyword: 'y', wholeword: false }] }] } } },
      "unknown option 'wholeword' in viewers['1001'].keywordFilters[0].keywords[1] (did you mean 'wholeWord'?)",
    ],
    ['a feed of timelinesAccess', { timelinesAccess: { liveFeeds: { locale: 'disabled' } } }, "unknown option 'locale' in timelinesAccess.liveFeeds (did you mean 'local'?)"],
    ['timelinesAccess', { timelinesAccess: { liveFeed: { local: 'disabled' } } }, "unknown option 'liveFeed' in timelinesAccess (did you mean 'liveFeeds'?)"],
  ])('checks nested options too: %s', async (_, options, message) => {
    await expect(createFakeMastodon(misspelt(options))).rejects.toThrow(`createFakeMastodon: ${message}`);
  });

  it('still reads an option given as undefined as left out, as its type allows', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: undefined, tokens: undefined, viewers: { '1001': { languages: undefined } } });
    expect(s.port).toBeGreaterThan(0);
  });

  it('counts own names only: an option name on a polluted Object.prototype is not the caller\'s', async () => {
    const prototype = Object.prototype as Record<string, unknown>;
    Object.defineProperty(prototype, 'heartbeatIntervallMs', { value: 5, enumerable: true, configurable: true });
    try {
      const s = await perTest.start({ heartbeatIntervalMs: 0 });
      await s.waitForConnectionCount(0, {});
      s.failNext({ status: 503 });
    } finally {
      delete prototype['heartbeatIntervallMs'];
    }
  });

  it('refuses options that are not an object, which would otherwise read as no option at all', async () => {
    await expect(createFakeMastodon(misspelt(15_000))).rejects.toThrow(/^createFakeMastodon: options must be an object with the options port, heartbeatIntervalMs, .*, got 15000$/);
    await expect(createFakeMastodon(misspelt({ tokens: { mine: null } }))).rejects.toThrow("createFakeMastodon: tokens['mine'] must be an object with the options accountId, acct, scopes, revoked, appOnly, got null");
  });
});

describe("the server's methods refuse a misspelt option before they change anything", () => {
  const ALICE = 'peer-test-token';

  async function startWithStream(): Promise<{ s: FakeMastodon; reader: StreamReader }> {
    const s = await perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
    const reader = perTest.track(await StreamReader.open(`${s.url}/api/v1/streaming/public`, ALICE));
    await s.waitForConnection();
    return { s, reader };
  }

  it('the waits throw at the call', async () => {
    const { s } = await startWithStream();
    expect(() => s.waitForConnection(undefined, misspelt({ timeout: 10 }))).toThrow("FakeMastodon.waitForConnection: unknown option 'timeout' (did you mean 'timeoutMs'?)");
    expect(() => s.waitForConnectionCount(1, misspelt({ timeOutMs: 10 }))).toThrow("FakeMastodon.waitForConnectionCount: unknown option 'timeOutMs' (did you mean 'timeoutMs'?)");
    expect(() => s.waitForWebSocket(undefined, misspelt({ timeout_ms: 10 }))).toThrow("FakeMastodon.waitForWebSocket: unknown option 'timeout_ms' (did you mean 'timeoutMs'?)");
    expect(() => s.waitForRequest(undefined, misspelt({ timoutMs: 10 }))).toThrow("FakeMastodon.waitForRequest: unknown option 'timoutMs' (did you mean 'timeoutMs'?)");
    // A bare number is no options object: it would have been a wait on the default timeout.
    expect(() => s.waitForConnection(undefined, misspelt(10))).toThrow('FakeMastodon.waitForConnection: options must be an object with the options timeoutMs, got 10');
  });

  it('faults: nothing is stalled, dropped, scripted or restarted by a refused call', async () => {
    const { s, reader } = await startWithStream();
    expect(() => s.stall(undefined, misspelt({ keepHeartbeat: true }))).toThrow("FakeMastodon.stall: unknown option 'keepHeartbeat' (did you mean 'keepHeartbeats'?)");
    expect(() => s.dropConnections(undefined, misspelt({ midframe: true }))).toThrow("FakeMastodon.dropConnections: unknown option 'midframe' (did you mean 'midFrame'?)");
    expect(() => s.stallWebSockets(undefined, misspelt({ keepHeartbeats: true }))).toThrow("FakeMastodon.stallWebSockets: unknown option 'keepHeartbeats' (known options: keepPings)");
    expect(() => s.failNext(misspelt({ status: 503, time: 2 }))).toThrow("FakeMastodon.failNext: unknown option 'time' (did you mean 'times'?)");
    expect(() => s.failNext(misspelt({ code: 503 }))).toThrow("FakeMastodon.failNext: unknown option 'code' (known options: status, body,");
    expect(() => s.rateLimitNext(misspelt({ resetMs: 10 }))).toThrow("FakeMastodon.rateLimitNext: unknown option 'resetMs' (did you mean 'resetInMs'?)");
    expect(() => s.restart(misspelt({ downms: 10 }))).toThrow("FakeMastodon.restart: unknown option 'downms' (did you mean 'downMs'?)");
    expect(() => s.replayNext('', misspelt({ timescale: 0 }))).toThrow("FakeMastodon.replayNext: unknown option 'timescale' (did you mean 'timeScale'?)");
    expect(s.connections.map((connection) => [connection.isStalled, connection.isEnding])).toEqual([[false, false]]);
    s.postStatus({ content: '<p>still live</p>' });
    await reader.until((r) => r.events.some((event) => event.event === 'update'));
    // Neither a 503, a 429 nor a replay was queued: the next stream and REST calls are answered as usual.
    const next = perTest.track(await StreamReader.open(`${s.url}/api/v1/streaming/user`, ALICE));
    await s.waitForConnection((connection) => connection.stream === 'user');
    expect(next.response.status).toBe(200);
    expect((await fetch(`${s.url}/api/v1/timelines/public`)).status).toBe(200);
  });

  it('publishing: postStatus stores nothing, publish delivers nothing', async () => {
    const { s, reader } = await startWithStream();
    expect(() => s.postStatus({}, misspelt({ tag: ['rust'] }))).toThrow("FakeMastodon.postStatus: unknown option 'tag' (did you mean 'tags'?)");
    expect(() => s.publish(misspelt({ stream: 'hashtag', tags: 'rust' }), 'update', {})).toThrow("FakeMastodon.publish: unknown option 'tags' in target (did you mean 'tag'?)");
    expect(() => s.publish(misspelt({ tag: 'rust' }), 'update', {})).toThrow("FakeMastodon.publish: option 'stream' in target is required (it has no default), got undefined");
    expect(await (await fetch(`${s.url}/api/v1/timelines/public`)).json()).toEqual([]);
    await sleep(20);
    expect(reader.events).toEqual([]);
  });

  it('filtering: viewer updates, keyword filters and feed access stay as they were', async () => {
    const { s } = await startWithStream();
    const viewer = s.viewer('1001');
    expect(() => viewer.update(misspelt({ blocks: ['1002'], mute: ['1003'] }))).toThrow("FakeViewer.update: unknown option 'mute' (did you mean 'mutes'?)");
    expect(() => viewer.addKeywordFilter(misspelt({ id: '5', title: 't', keyword: ['x'] }))).toThrow("FakeViewer.addKeywordFilter: unknown option 'keyword' (did you mean 'keywords'?)");
    expect(() => s.setTimelinesAccess(misspelt({ liveFeeds: { remote: 'disabled', locale: 'disabled' } }))).toThrow(
      "FakeMastodon.setTimelinesAccess: unknown option 'locale' in liveFeeds (did you mean 'local'?)",
    );
    expect(viewer.settings).toMatchObject({ blocks: [], mutes: [], keywordFilters: [] });
    const instance = await (await fetch(`${s.url}/api/v2/instance`)).json();
    expect(instance.configuration.timelines_access.live_feeds).toEqual({ local: 'public', remote: 'public' });
  });

  it('recordStream connects nowhere, and a recording\'s waitFor takes only timeoutMs', async () => {
    const { s } = await startWithStream();
    const requestsBefore = s.requests.length;
    expect(() => recordStream(`${s.url}/api/v1/streaming/public`, misspelt({ header: {} }))).toThrow("recordStream: unknown option 'header' (did you mean 'headers'?)");
    await sleep(20);
    expect(s.requests).toHaveLength(requestsBefore);
    const recording = await recordStream(`${s.url}/api/v1/streaming/public`, { headers: { Authorization: `Bearer ${ALICE}` } });
    expect(() => recording.waitFor(() => false, misspelt({ timeout: 10 }))).toThrow("recordStream waitFor: unknown option 'timeout' (did you mean 'timeoutMs'?)");
    await recording.stop();
  });
});

describe('the chaos server and its oracle', () => {
  const ledger: ChaosLedger = emptyChaosLedger();

  it('createChaosServer rejects a misspelt or missing seed instead of playing seed 0', async () => {
    await expect(createChaosServer(misspelt({ sed: 7 }))).rejects.toThrow("createChaosServer: unknown option 'sed' (did you mean 'seed'?)");
    await expect(createChaosServer(misspelt({ connections: 2 }))).rejects.toThrow("createChaosServer: option 'seed' is required (it has no default), got undefined");
    await expect(createChaosServer(misspelt({ seed: 7, maxEventSize: 10 }))).rejects.toThrow(TypeError);
  });

  it('the checks refuse theirs: a misspelt everyCatchUpSucceeded no longer reads as false', async () => {
    expect(() => checkChaosStatuses(ledger, [], misspelt({ everyCatchupSucceeded: true }))).toThrow(
      "checkChaosStatuses: unknown option 'everyCatchupSucceeded' (did you mean 'everyCatchUpSucceeded'?)",
    );
    expect(() => checkChaosNotifications(ledger, [], misspelt({}))).toThrow("checkChaosNotifications: option 'everyCatchUpSucceeded' is required (it has no default), got undefined");
    expect(() => checkChaosConnectionOrder(ledger, [], misspelt({ caughtUp: [] }))).toThrow("checkChaosConnectionOrder: unknown option 'caughtUp' (did you mean 'caughtUpIds'?)");
    await expect(checkChaosStreamsClosed({ openStreams: () => 0 }, misspelt({ within: 10 }))).rejects.toThrow("checkChaosStreamsClosed: unknown option 'within' (did you mean 'withinMs'?)");
  });

  it('chaosSeeds refuses a misspelt count, which ran no seed at all', () => {
    expect(() => chaosSeeds(misspelt({ first: 1, cont: 3 }))).toThrow("chaosSeeds: unknown option 'cont' (did you mean 'count'?)");
    expect(() => chaosSeeds(misspelt({ first: 1 }))).toThrow("chaosSeeds: option 'count' is required (it has no default), got undefined");
    expect(chaosSeeds({ first: 1, count: 2, override: undefined })).toEqual([1, 2]);
  });
});
