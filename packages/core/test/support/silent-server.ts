import { createServer, type Socket } from 'node:net';

/** A TCP server that accepts connections and never answers: a hung server or proxy. */
export async function startSilentServer(): Promise<{ url: string; sockets: Socket[]; closedSockets: () => number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  let closed = 0;
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.resume();
    socket.on('close', () => closed++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    sockets,
    closedSockets: () => closed,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
