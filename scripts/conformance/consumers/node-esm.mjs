// Node ESM consumer of the packed tarballs, run by 40-packaging as
// `node --input-type=module -e <this file's text>` inside .scratch/consumer,
// so every bare specifier resolves from what npm installed there.
import * as core from '@tootstream/core';
import * as listener from '@tootstream/listener';
import { createFakeMastodon, readRealCapture } from '@tootstream/testkit';
import { receiveOneEventEach } from './smoke.mjs';

const fake = await createFakeMastodon();
try {
  const server = {
    url: fake.url,
    waitForPublicConnection: (afterId) => fake.waitForConnection((connection) => connection.stream === 'public' && connection.id > afterId),
    postStatus: async (content) => fake.postStatus({ content }),
  };
  await receiveOneEventEach({ core, listener, server, label: `node ${process.version} ESM` });
  // The real captures ship in the testkit's tarball: replayed, the installed core reads the real server's status.
  fake.replayNext(readRealCapture('sse-public'), { timeScale: 0 });
  const replayed = core.createClient({ url: fake.url, accessToken: 'peer-test-token' }).public()[Symbol.asyncIterator]();
  try {
    const { value } = await replayed.next();
    if (value?.event !== 'update' || value.payload.id !== '111') throw new Error(`packaging smoke: the replayed capture gave ${JSON.stringify(value?.event)} instead of status 111`);
  } finally {
    await replayed.return();
  }
  console.log(`node ${process.version} ESM: @tootstream/testkit replayed its shipped capture sse-public`);
} finally {
  await fake.close();
}
