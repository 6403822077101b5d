// Node CommonJS consumer of the packed tarballs. No CommonJS build is shipped:
// this proves `require()` of the ESM packages works through Node's require(esm)
// (unflagged since Node 20.19 and 22.12, hence `engines: >=20.19`).
const core = require('@tootstream/core');
const listener = require('@tootstream/listener');
const { createFakeMastodon } = require('@tootstream/testkit');
const { receiveOneEventEach } = require('./smoke.mjs');

(async () => {
  const fake = await createFakeMastodon();
  try {
    const server = {
      url: fake.url,
      waitForPublicConnection: (afterId) => fake.waitForConnection((connection) => connection.stream === 'public' && connection.id > afterId),
      postStatus: async (content) => fake.postStatus({ content }),
    };
    await receiveOneEventEach({ core, listener, server, label: `node ${process.version} require()` });
  } finally {
    await fake.close();
  }
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
