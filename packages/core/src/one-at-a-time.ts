/**
 * Wraps an async call so that a call made before the last one settled runs
 * only once it has, as an async generator queues its `next()` calls. An
 * iterator's `next()` may be called again without waiting (`Promise.all` of
 * two pulls, helpers that read ahead); run side by side, two pulls of a
 * stream would each see no connection and each open one, and only one of
 * them would ever be closed. A failed call does not stop the ones after it.
 *
 * With no call in flight, `takeReady` is asked first: a result it has at hand
 * (an event parsed from the last network read) is returned at once, without
 * the queue's promise chain and the async call, which cost more per event
 * than the rest of the pipeline after `JSON.parse`.
 */
export function oneAtATime<T>(call: () => Promise<T>, takeReady: () => T | undefined): () => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  let inFlight = 0;
  return () => {
    const ready = inFlight ? undefined : takeReady();
    if (ready !== undefined) return Promise.resolve(ready);
    inFlight++;
    return (last = last.then(call, call).finally(() => inFlight--)) as Promise<T>;
  };
}
