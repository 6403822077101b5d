// The packaging smoke test shared by the Node ESM, Node CJS and Deno consumers
// of the packed tarballs: one stream through core, one through the listener,
// each must receive the update posted to the fake server. Runtime-neutral.
//
// `server` adapts a fake Mastodon: { url, waitForPublicConnection(afterId) → {id}, postStatus(content) → {id} }.

const TOKEN = 'peer-test-token';

function check(condition, message) {
  if (!condition) throw new Error(`packaging smoke: ${message}`);
}

/** Opens a public stream with core and reads one event. Resolves with the server's connection id. */
export async function receiveWithCore(core, server) {
  const stream = core.createClient({ url: server.url, accessToken: TOKEN }).public();
  const events = stream[Symbol.asyncIterator]();
  try {
    const firstEvent = events.next();
    const connection = await server.waitForPublicConnection(0);
    const posted = await server.postStatus('<p>through the packed core</p>');
    const { value } = await firstEvent;
    check(value?.event === 'update', `core delivered ${JSON.stringify(value?.event)} instead of an update`);
    check(value.payload.id === posted.id, `core delivered status ${value.payload.id}, expected ${posted.id}`);
    return connection.id;
  } finally {
    await events.return();
  }
}

/** Opens a public stream with the listener's async handle and waits for one onUpdate. */
export async function receiveWithListener(listener, server, afterConnectionId) {
  let deliver;
  const firstUpdate = new Promise((resolve) => {
    deliver = resolve;
  });
  class FirstUpdateListener extends listener.StreamListener {
    onUpdate(status) {
      deliver(status);
    }
  }
  const mastodon = new listener.Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN });
  const handle = await mastodon.streamPublic(new FirstUpdateListener(), { runAsync: true });
  try {
    await server.waitForPublicConnection(afterConnectionId);
    const posted = await server.postStatus('<p>through the packed listener</p>');
    const status = await firstUpdate;
    check(status.id === posted.id, `listener delivered status ${status.id}, expected ${posted.id}`);
  } finally {
    await handle.close();
  }
}

/** Both checks, in order; `label` names the runtime in the success line. */
export async function receiveOneEventEach({ core, listener, server, label }) {
  const coreConnectionId = await receiveWithCore(core, server);
  console.log(`${label}: @tootstream/core received an update`);
  await receiveWithListener(listener, server, coreConnectionId);
  console.log(`${label}: @tootstream/listener received an update`);
}
