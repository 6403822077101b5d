import { afterEach, describe, expect, it, vi } from 'vitest';
import { useFakeServer } from './fake-per-test.js';

// Rails reads params[:name] from Rack's query parser (Rack::Utils.parse_nested_query), which
// keeps the LAST value of a repeated plain key: `max_id=1&max_id=2` is '2', `local=true&local=false`
// is 'false'. `name[]` keys stay arrays of every value. Every scalar the fake reads must agree,
// cursors, feed switches, notification filters, the token and Rack::Attack's paging check alike.

const perTest = useFakeServer();
const FIVE_MINUTES = 300_000;
const FIFTEEN_MINUTES = 900_000;

afterEach(() => {
  vi.useRealTimers();
});

async function ids(path: string, headers: Record<string, string> = { Authorization: 'Bearer peer-test-token' }): Promise<string[]> {
  const response = await fetch(`${perTest.current().url}${path}`, { headers });
  expect(response.status, path).toBe(200);
  return ((await response.json()) as Array<{ id: string }>).map((item) => item.id);
}

describe('repeated REST query parameters are read by their last value, as Rack parses them', () => {
  it('pages by the last max_id, since_id and min_id', async () => {
    const server = await perTest.start();
    const [oldest, middle, newest] = [server.postStatus().id, server.postStatus().id, server.postStatus().id];
    expect(await ids(`/api/v1/timelines/home?max_id=${newest}&max_id=${middle}`)).toEqual([oldest]);
    expect(await ids(`/api/v1/timelines/home?since_id=${oldest}&since_id=${middle}`)).toEqual([newest]);
    expect(await ids(`/api/v1/timelines/home?min_id=${oldest}&min_id=${middle}`)).toEqual([newest]);
    // An empty last value is no cursor at all, whatever came before it.
    expect(await ids(`/api/v1/timelines/home?max_id=${oldest}&max_id=`)).toEqual([newest, middle, oldest]);
  });

  it('reads local, remote and only_media of the public timeline by their last value', async () => {
    const server = await perTest.start();
    const local = server.postStatus({}, { local: true }).id;
    const remote = server.postStatus({}, { local: false }).id;
    const media = server.postStatus({}, { local: true, media: 1 }).id;
    expect(await ids('/api/v1/timelines/public?local=true&local=false')).toEqual([media, remote, local]);
    expect(await ids('/api/v1/timelines/public?local=false&local=true')).toEqual([media, local]);
    expect(await ids('/api/v1/timelines/public?remote=true&remote=0')).toEqual([media, remote, local]);
    expect(await ids('/api/v1/timelines/public?only_media=true&only_media=false')).toEqual([media, remote, local]);
    expect(await ids('/api/v1/timelines/public?only_media=false&only_media=true')).toEqual([media]);
  });

  it('narrows notifications to the last account_id and keeps every types[] value', async () => {
    const server = await perTest.start();
    const fromBob = server.notify('1001', { type: 'follow', fromAccount: 'bob' }).id;
    const fromCarol = server.notify('1001', { type: 'mention', fromAccount: 'carol' }).id;
    expect(await ids('/api/v1/notifications?account_id=1002&account_id=1003')).toEqual([fromCarol]);
    expect(await ids('/api/v1/notifications?types[]=follow&types[]=mention&account_id=1003&account_id=1002')).toEqual([fromBob]);
  });

  it('authenticates with the last access_token', async () => {
    const server = await perTest.start();
    const status = server.postStatus().id;
    expect(await ids('/api/v1/timelines/home?access_token=unknown&access_token=peer-test-token', {})).toEqual([status]);
    const refused = await fetch(`${server.url}/api/v1/timelines/home?access_token=peer-test-token&access_token=unknown`);
    expect([refused.status, await refused.json()]).toEqual([401, { error: 'The access token is invalid' }]);
  });

  it('counts a request against the paging throttle by its last cursor value (Rack::Attack paging_request?)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const windowStart = Math.ceil(Date.now() / FIFTEEN_MINUTES) * FIFTEEN_MINUTES;
    vi.setSystemTime(windowStart + 10_000);
    const server = await perTest.start();
    const get = (path: string) => fetch(`${server.url}${path}`, { headers: { Authorization: 'Bearer peer-test-token' } });
    await (await get('/api/v1/timelines/home?max_id=&max_id=99')).arrayBuffer();
    await (await get('/api/v1/timelines/home?max_id=99&max_id=')).arrayBuffer();
    // Past the 5-minute per-token window: only the 15-minute paging count goes on.
    vi.setSystemTime(windowStart + FIVE_MINUTES + 10_000);
    const later = await get('/api/v1/timelines/home?since_id=&since_id=1');
    await later.arrayBuffer();
    expect(later.headers.get('x-ratelimit-remaining')).toBe('298');
    expect(Math.floor(Date.parse(later.headers.get('x-ratelimit-reset') ?? '') / 1000) * 1000).toBe(windowStart + FIFTEEN_MINUTES);
  });
});
