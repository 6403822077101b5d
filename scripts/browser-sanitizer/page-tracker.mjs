// The in-page half of the browser sanitizer: from the moment it loads (before
// the packages do: the page lists it first), it keeps every timer and every
// event listener that code other than the suite starts and has not ended yet,
// each with the stack that created it. case-check.mjs compares that state
// before and after each conformance case; requests are watched from outside the
// page (network-watch.mjs), where the browser's own network log sees them.
//
// Nothing about how the page's code runs changes: the wrappers call the native
// functions with the same arguments and return what they return. Only a timer's
// callback is wrapped (to notice that it fired); listeners are passed through
// untouched, so the browser holds exactly what the code under test gave it.
import { isSanitizerUrl, madeBySuite, urlOfStackLine } from './suite-code.mjs';

/** The native functions, for the sanitizer's own waits: a timer set through these is never tracked. */
export const untracked = {
  setTimeout: globalThis.setTimeout.bind(globalThis),
  clearTimeout: globalThis.clearTimeout.bind(globalThis),
};
const native = {
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  clearTimeout: globalThis.clearTimeout,
  clearInterval: globalThis.clearInterval,
  addEventListener: EventTarget.prototype.addEventListener,
  removeEventListener: EventTarget.prototype.removeEventListener,
};

/** Everything started and not yet ended, in creation order: `{ seq, what, stack, isLive() }`. */
const live = new Set();
let lastSeq = 0;
/** Timer id → its record (setTimeout and setInterval share ids, and either clear function clears both). */
const timers = new Map();
/** Listener target → "type capture" → listener → its record, as EventTarget dedupes them. */
const listeners = new WeakMap();

/**
 * The stack of the call being wrapped, from its caller down (the sanitizer's
 * own frames dropped), or undefined when the suite made the call. Deeper than
 * V8's default 10 frames, so that a report reaches from a timer to the stream call.
 */
function callerStack() {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 30;
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  Error.stackTraceLimit = limit;
  while (lines.length > 0 && isSanitizerUrl(urlOfStackLine(lines[0]))) lines.shift();
  return madeBySuite(lines.map(urlOfStackLine)) ? undefined : lines.join('\n');
}

function remember(what, stack, isLive = () => true) {
  const record = { seq: ++lastSeq, what, stack, isLive };
  live.add(record);
  return record;
}

/** A timer is left behind until it is cleared or, for a timeout, until its callback is called. */
function wrapTimerSetter(name, repeats) {
  const set = native[name];
  globalThis[name] = function (callback, delayMs, ...args) {
    // A string to evaluate has no function to wrap; nothing on the page passes one.
    const stack = typeof callback === 'function' ? callerStack() : undefined;
    if (stack === undefined) return set.call(globalThis, callback, delayMs, ...args);
    let record;
    const id = set.call(
      globalThis,
      function (...callArgs) {
        if (!repeats) {
          live.delete(record);
          timers.delete(id);
        }
        return callback.apply(this, callArgs);
      },
      delayMs,
      ...args,
    );
    record = remember(`${name}(…, ${delayMs ?? 0} ms)`, stack);
    timers.set(id, record);
    return id;
  };
}

function wrapTimerClearer(name) {
  const clear = native[name];
  globalThis[name] = function (id) {
    const record = timers.get(id);
    if (record) {
      timers.delete(id);
      live.delete(record);
    }
    return clear.call(globalThis, id);
  };
}

function describeTarget(target) {
  if (target === globalThis) return 'window';
  if (target === globalThis.document) return 'document';
  return target?.constructor?.name ?? 'an EventTarget';
}

/** `addEventListener`'s options, read as EventTarget reads them. */
function listenerOptions(options) {
  if (typeof options === 'boolean') return { capture: options, once: false, signal: undefined };
  return { capture: Boolean(options?.capture), once: Boolean(options?.once), signal: options?.signal ?? undefined };
}

function registrationsOf(target, type, capture) {
  let byKey = listeners.get(target);
  if (!byKey) listeners.set(target, (byKey = new Map()));
  const key = `${type} ${capture}`;
  if (!byKey.has(key)) byKey.set(key, new Map());
  return byKey.get(key);
}

/**
 * A listener is left behind while its target could still call it: an
 * AbortSignal that has aborted never fires again, so its listeners count only
 * until it aborts; a target that is gone (WeakRef) holds nothing.
 */
function listenerIsLive(targetRef) {
  return () => {
    const target = targetRef.deref();
    return target !== undefined && !(target instanceof AbortSignal && target.aborted);
  };
}

function forgetListener(registrations, listener) {
  const record = registrations.get(listener);
  if (!record) return;
  registrations.delete(listener);
  live.delete(record);
  record.detach();
}

EventTarget.prototype.addEventListener = function addEventListener(type, listener, options) {
  const result = native.addEventListener.call(this, type, listener, options);
  if (listener === null || listener === undefined) return result;
  const { capture, once, signal } = listenerOptions(options);
  const registrations = registrationsOf(this, String(type), capture);
  // Already there (EventTarget ignores the duplicate), or never added (an aborted `signal` option).
  if (registrations.has(listener) || signal?.aborted) return result;
  const stack = callerStack();
  if (stack === undefined) return result;
  const record = remember(`${/^[aeiou]/i.test(type) ? 'an' : 'a'} "${type}" listener on ${describeTarget(this)}`, stack, listenerIsLive(new WeakRef(this)));
  registrations.set(listener, record);
  // The browser drops a `once` listener after its call, and any listener whose `signal` option aborts: follow it.
  const forget = () => forgetListener(registrations, listener);
  const companions = [];
  if (once) companions.push([this, String(type), forget, { capture, once: true }]);
  if (signal) companions.push([signal, 'abort', forget, { once: true }]);
  for (const [target, ...args] of companions) native.addEventListener.call(target, ...args);
  record.detach = () => {
    for (const [target, ...args] of companions) native.removeEventListener.call(target, ...args);
  };
  return result;
};

EventTarget.prototype.removeEventListener = function removeEventListener(type, listener, options) {
  const registrations = listeners.get(this)?.get(`${type} ${listenerOptions(options).capture}`);
  if (registrations) forgetListener(registrations, listener);
  return native.removeEventListener.call(this, type, listener, options);
};

wrapTimerSetter('setTimeout', false);
wrapTimerSetter('setInterval', true);
wrapTimerClearer('clearTimeout');
wrapTimerClearer('clearInterval');

/** A mark to compare with later: what exists now is not counted by `leftSince`. */
export const mark = () => lastSeq;

/** What the code under test started after `since` and has not ended: `[{ what, stack }]`. */
export function leftSince(since) {
  // A listener on a signal that aborted (or on a target that is gone) can never be called again: forget it for good.
  for (const record of live) if (!record.isLive()) live.delete(record);
  return [...live].filter((record) => record.seq > since).map(({ what, stack }) => ({ what, stack }));
}
