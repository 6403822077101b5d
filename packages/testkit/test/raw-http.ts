import { connect, type Socket } from 'node:net';

/**
 * A raw TCP client that records every byte the server sends, so tests can compare responses
 * byte for byte (status line, header order, chunk framing) without any HTTP library in between.
 */
export class RawCapture {
  private readonly received: Buffer[] = [];
  private readonly listeners = new Set<() => void>();
  /** Resolves when the server closes or resets the connection. */
  readonly ended: Promise<'end' | 'close'>;
  private endedSeen = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received.push(chunk);
      for (const listener of this.listeners) listener();
    });
    this.ended = new Promise((resolve) => {
      socket.on('end', () => {
        this.endedSeen = true;
        resolve('end');
      });
      socket.on('close', () => resolve(this.endedSeen ? 'end' : 'close'));
      socket.on('error', () => undefined);
    });
  }

  static open(port: number, request: string): Promise<RawCapture> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.write(request);
        resolve(new RawCapture(socket));
      });
    });
  }

  bytes(): Buffer {
    return Buffer.concat(this.received);
  }

  text(): string {
    return this.bytes().toString('utf8');
  }

  /** Each TCP read so far, in order. */
  chunks(): Buffer[] {
    return [...this.received];
  }

  /** Number of `data` events seen so far (TCP reads). */
  get reads(): number {
    return this.received.length;
  }

  waitFor(predicate: (text: string) => boolean, timeoutMs = 5_000): Promise<void> {
    if (predicate(this.text())) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listener = (): void => {
        if (!predicate(this.text())) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out; received so far: ${JSON.stringify(this.text())}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
    });
  }

  /** Writes bytes as one TCP write; resolves once they are handed to the kernel. */
  write(bytes: Uint8Array | string): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(bytes, (error) => (error ? reject(error) : resolve())));
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Builds an HTTP/1.1 GET request with the given extra header lines. */
export function getRequest(path: string, headers: Record<string, string> = {}, method = 'GET'): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Masks the per-run values (Date, X-Request-Id) so two responses can be compared byte for byte. */
export function maskVariable(text: string): string {
  return text
    .replace(/^Date: [^\r\n]*/gm, 'Date: <date>')
    .replace(/^X-Request-Id: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gm, 'X-Request-Id: <uuid>');
}

/** Removes HTTP/1.1 chunk framing from a body. */
export function dechunk(body: string): string {
  const bytes = Buffer.from(body, 'utf8');
  let offset = 0;
  const parts: Buffer[] = [];
  while (offset < bytes.length) {
    const lineEnd = bytes.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(bytes.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Splits a raw response at the end of its head (the head keeps its blank line). */
export function splitResponse(raw: string): { head: string; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  return { head: raw.slice(0, end + 4), body: raw.slice(end + 4) };
}

/** A raw response as the fixtures write it: LF line ends in the head, the body de-chunked. */
export function asFixtureNotation(raw: string): string {
  const { head, body } = splitResponse(raw);
  const chunked = /\r\nTransfer-Encoding: chunked\r\n/.test(head);
  return `${head.replaceAll('\r\n', '\n')}${chunked ? dechunk(body) : body}`;
}

/** Sends one raw request and resolves with the whole response once it is complete. */
export async function rawExchange(port: number, request: string): Promise<string> {
  const exchange = await RawCapture.open(port, request);
  try {
    await exchange.waitFor((text) => {
      const { head, body } = splitResponse(text);
      if (!head.endsWith('\r\n\r\n')) return false;
      if (/\r\nTransfer-Encoding: chunked\r\n/.test(head)) return body.endsWith('0\r\n\r\n');
      return true;
    });
    return exchange.text();
  } finally {
    exchange.close();
  }
}

/**
 * A raw GET of `path` (sent as written: no client re-escapes it) with `Connection: close`, answered as its status
 * line, Content-Type and body.
 */
export async function rawGet(port: number, path: string, headers: Record<string, string>): Promise<{ statusLine: string; type: string | undefined; body: string }> {
  const { head, body } = splitResponse(await rawExchange(port, getRequest(path, { ...headers, Connection: 'close' })));
  return { statusLine: head.slice(0, head.indexOf('\r\n')), type: /\r\nContent-Type: ([^\r\n]*)/i.exec(head)?.[1], body };
}

/** Whether a TCP connect to the port succeeds now (no HTTP, and no timer: it works under fake timers). */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
