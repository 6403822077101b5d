import { sseEvents } from './fixtures.js';

/** A minimal fetch-based SSE reader for behaviour tests (the real parser lives in core). */
export class StreamReader {
  text = '';
  done = false;
  error: unknown;
  private readonly changed = new Set<() => void>();
  private readonly controller = new AbortController();
  response!: Response;

  static async open(url: string, token: string | undefined = 'peer-test-token'): Promise<StreamReader> {
    const reader = new StreamReader();
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (token) headers['Authorization'] = `Bearer ${token}`;
    reader.response = await fetch(url, { headers, signal: reader.controller.signal });
    void reader.pump();
    return reader;
  }

  get events(): Array<{ event: string; data: string }> {
    return sseEvents(this.text);
  }

  private async pump(): Promise<void> {
    const body = this.response.body;
    if (!body) return;
    const decoder = new TextDecoder();
    const stream = body.getReader();
    try {
      for (;;) {
        const { done, value } = await stream.read();
        if (done) break;
        this.text += decoder.decode(value, { stream: true });
        this.notify();
      }
    } catch (error) {
      this.error = error;
    }
    this.done = true;
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.changed]) listener();
  }

  until(predicate: (reader: StreamReader) => boolean, timeoutMs = 5_000): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listener = (): void => {
        if (!predicate(this)) return;
        clearTimeout(timer);
        this.changed.delete(listener);
        resolve();
      };
      const timer = setTimeout(() => {
        this.changed.delete(listener);
        reject(new Error(`timed out; text so far: ${JSON.stringify(this.text.slice(0, 2000))}`));
      }, timeoutMs);
      this.changed.add(listener);
    });
  }

  untilEvents(count: number, timeoutMs?: number): Promise<void> {
    return this.until((reader) => reader.events.length >= count, timeoutMs);
  }

  close(): void {
    this.controller.abort();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
