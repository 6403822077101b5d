import { afterEach, describe, expect, it } from 'vitest';
import {
  MastodonAPIError,
  MastodonInternalServerError,
  MastodonNotFoundError,
  MastodonUnauthorizedError,
  type Mastodon,
} from '@tootstream/listener';
import { Cleanup, clientFor, Recorder } from './support/harness.js';

// protocol.md §6: before 4.2 the streaming server worded its refusals differently ("Error: Invalid
// access token", a foreign list as 404 "Not found"). The listener must pick the Mastodon.py class
// from the status alone: the same class as for the 4.2+ answer with that status, the old text
// kept only as serverMessage.

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

type Connect = (mastodon: Mastodon, recorder: Recorder) => Promise<void>;

const user: Connect = (mastodon, recorder) => mastodon.streamUser(recorder);
const foreignList: Connect = (mastodon, recorder) => mastodon.streamList('43', recorder);

async function refusal(texts: 'pre-4.2' | 'current', accessToken: string, connect: Connect): Promise<{ error: unknown; recorder: Recorder; requests: number }> {
  const server = await cleanup.server({ streamingErrorTexts: texts });
  const recorder = new Recorder();
  const error = await connect(clientFor(server, { accessToken }), recorder).catch((failure: unknown) => failure);
  const requests = server.requests.filter((request) => request.path.startsWith('/api/v1/streaming/')).length;
  return { error, recorder, requests };
}

describe('a pre-4.2 server: Mastodon.py classes follow the status, not the text', () => {
  it.each([
    ['missing token', '', user, MastodonUnauthorizedError, 401, 'Error: Missing access token', 'Missing access token'],
    ['invalid token', 'nope', user, MastodonUnauthorizedError, 401, 'Error: Invalid access token', 'Invalid access token'],
    ['token without read scope', 'peer-test-token-writeonly', user, MastodonUnauthorizedError, 401, 'Error: Access token does not cover required scopes', 'Access token does not have the required scopes'],
  ] as const)('%s: the same class and status as the 4.5.7 answer', async (_, token, connect, type, status, oldText, currentText) => {
    const old = await refusal('pre-4.2', token, connect);
    const current = await refusal('current', token, connect);
    for (const [outcome, text] of [[old, oldText], [current, currentText]] as const) {
      expect(outcome.error).toBeInstanceOf(type);
      expect(outcome.error).toMatchObject({ status, serverMessage: text });
      expect((outcome.error as Error).message).toBe(`Could not connect to streaming server: Unauthorized (${text})`);
      expect(outcome.recorder.named('onAbort')).toEqual([['onAbort', outcome.error]]);
      expect(outcome.requests).toBe(1);
    }
  });

  it("another account's list: the old 404 Not found is MastodonNotFoundError, as any 404", async () => {
    const { error, recorder, requests } = await refusal('pre-4.2', 'peer-test-token', foreignList);
    expect(error).toBeInstanceOf(MastodonNotFoundError);
    expect(error).toBeInstanceOf(MastodonAPIError);
    expect(error).toMatchObject({ status: 404, serverMessage: 'Not found' });
    // The body repeats the reason phrase, so the message says it once (serverMessage keeps it).
    expect((error as Error).message).toBe('Could not connect to streaming server: Not Found');
    expect(recorder.named('onAbort')).toEqual([['onAbort', error]]);
    expect(requests).toBe(1);

    // The 4.5.7 server says 401 for the same list, so that one is MastodonUnauthorizedError.
    const current = await refusal('current', 'peer-test-token', foreignList);
    expect(current.error).toBeInstanceOf(MastodonUnauthorizedError);
    expect(current.error).toMatchObject({ status: 401, serverMessage: 'Not authorized to stream this list' });
  });

  it('a 500 is MastodonInternalServerError with either server', async () => {
    for (const texts of ['pre-4.2', 'current'] as const) {
      const server = await cleanup.server({ streamingErrorTexts: texts });
      server.failNext({ status: 500 });
      const error = await clientFor(server).streamUser(new Recorder()).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(MastodonInternalServerError);
      expect(error).toMatchObject({ status: 500, serverMessage: 'An unexpected error occurred' });
    }
  });
});
