/**
 * Wraps an async call so that a call made before the last one settled runs
 * only once it has, as an async generator queues its `next()` calls. An
 * iterator's `next()` may be called again without waiting (`Promise.all` of
 * two pulls, helpers that read ahead); run side by side, two pulls of a
 * stream would each see no connection and each open one, and only one of
 * them would ever be closed. A failed call does not stop the ones after it.
 */
export const oneAtATime = <T>(call: () => Promise<T>): () => Promise<T> => {
  let last: Promise<unknown> = Promise.resolve();
  return () => (last = last.then(call, call)) as Promise<T>;
};
