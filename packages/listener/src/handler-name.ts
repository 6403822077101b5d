/**
 * Handlers that exist for the listener machinery itself. An event whose
 * computed handler name is one of these (an event called `abort`, `error`,
 * `any.event`, `unknown_event`) is treated as unknown: a server must never be
 * able to fake an abort or an error (Mastodon.py defect: `on_` + name was
 * looked up by reflection, so an `abort` event called `on_abort`).
 *
 * @example
 * ```ts
 * RESERVED_HANDLER_NAMES.has(handlerNameFor('abort')); // true: an `abort` event goes to onUnknownEvent
 * ```
 */
export const RESERVED_HANDLER_NAMES: ReadonlySet<string> = new Set(['onAbort', 'onAnyEvent', 'onUnknownEvent', 'onError']);

/**
 * The handler name for a wire event name: `on` + the name split on `.` and
 * `_`, each non-empty part with its first character upper-cased
 * (`status.update` → `onStatusUpdate`, `notifications_merged` →
 * `onNotificationsMerged`). This is the camelCase image of Mastodon.py's
 * `"on_" + name.replace(".", "_")`.
 *
 * @example
 * ```ts
 * handlerNameFor('announcement.reaction'); // 'onAnnouncementReaction'
 * ```
 */
export const handlerNameFor = (eventName: string): string => {
  const known = handlerNames.get(eventName);
  if (known !== undefined) return known;
  // Split on the separators and capitalize each part, as one replace: every run of `.`/`_` drops out and the
  // character after it is upper-cased (the `.` put in front makes the first part follow a separator too).
  const name = `on${`.${eventName}`.replace(/[._]+(.?)/g, (_, first: string) => first.toUpperCase())}`;
  // Names come from the server, so the memo is bounded.
  if (handlerNames.size < 256) handlerNames.set(eventName, name);
  return name;
};

const handlerNames = new Map<string, string>();

/** A function stored under `name` on the listener or its prototype chain (never on `Object.prototype`), unless reserved. */
export const findHandler = (listener: object, name: string): ((...args: unknown[]) => unknown) | undefined => {
  if (RESERVED_HANDLER_NAMES.has(name)) return undefined;
  for (let current: object | null = listener; current !== null && current !== Object.prototype; current = Object.getPrototypeOf(current)) {
    const descriptor = Object.getOwnPropertyDescriptor(current, name);
    if (descriptor === undefined) continue;
    // A getter is not a handler; evaluating it could run arbitrary code on a server-chosen name.
    return typeof descriptor.value === 'function' ? (descriptor.value as (...args: unknown[]) => unknown) : undefined;
  }
  return undefined;
};
