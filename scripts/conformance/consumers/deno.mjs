// Deno consumer of the packed tarballs, run by 40-packaging inside
// .scratch/consumer: Deno resolves the bare specifiers from the package.json
// and node_modules that npm installed there, as it would for a Deno user.
// The fake server runs in Node (it needs node:http) behind the control server.
import * as core from '@tootstream/core';
import * as listener from '@tootstream/listener';
import { receiveOneEventEach } from './smoke.mjs';

const controlUrl = Deno.args[Deno.args.indexOf('--control') + 1];

async function control(method, path, body) {
  const response = await fetch(`${controlUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`control ${path}: ${answer.error}`);
  return answer;
}

const { id, url } = await control('POST', '/servers', {});
try {
  const server = {
    url,
    waitForPublicConnection: (afterId) => control('POST', `/servers/${id}/wait-connection`, { stream: 'public', afterId }),
    postStatus: (content) => control('POST', `/servers/${id}/post-status`, { content }),
  };
  await receiveOneEventEach({ core, listener, server, label: `deno ${Deno.version.deno}` });
} finally {
  await control('DELETE', `/servers/${id}`);
}
