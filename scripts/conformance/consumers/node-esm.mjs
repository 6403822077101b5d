// Node ESM consumer of the packed tarballs, run by 40-packaging as
// `node --input-type=module -e <this file's text>` inside .scratch/consumer,
// so every bare specifier resolves from what npm installed there.
import * as core from '@tootstream/core';
import * as listener from '@tootstream/listener';
import { createFakeMastodon } from '@tootstream/testkit';
import { receiveOneEventEach } from './smoke.mjs';

const fake = await createFakeMastodon();
try {
  const server = {
    url: fake.url,
    waitForPublicConnection: (afterId) => fake.waitForConnection((connection) => connection.stream === 'public' && connection.id > afterId),
    postStatus: async (content) => fake.postStatus({ content }),
  };
  await receiveOneEventEach({ core, listener, server, label: `node ${process.version} ESM` });
} finally {
  await fake.close();
}
