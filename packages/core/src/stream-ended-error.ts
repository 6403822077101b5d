import { TootstreamError } from './errors.js';

// Its own file because errors.ts is at its size limit; it is one of core's error classes all the same.
/**
 * The server ended the body cleanly (a token kill, a proxy timeout): a disconnect, never "done".
 *
 * @example
 * ```ts
 * client.user({ onReconnecting: ({ error }) => { if (error instanceof StreamEndedError) console.log('the server closed the stream; reconnecting'); } });
 * ```
 */
export class StreamEndedError extends TootstreamError {
  declare readonly code: 'STREAM_ENDED';
  /** @internal */ override name = 'StreamEndedError';

  constructor() {
    super('STREAM_ENDED', 'The server ended the stream');
  }
}
