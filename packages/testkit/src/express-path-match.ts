const REGEXP_SPECIALS = /[.*+?^${}()|[\]\\]/g;

/**
 * True when Express 5 would route `path` to a plain route `route` (no parameters), with its
 * default router options: case-insensitive and not strict, so one trailing slash is allowed.
 * The expression is the one path-to-regexp 8 builds for such a route,
 * `^(?:<route>)(?:\/$)?$` with the `i` flag alone, matched against the raw pathname.
 *
 * @example
 * matchesExpressRoute('/API/V1/STREAMING/HEALTH/', '/api/v1/streaming/health') // true
 * matchesExpressRoute('/api/v1/streaming/health//', '/api/v1/streaming/health') // false
 */
export function matchesExpressRoute(path: string, route: string): boolean {
  return new RegExp(`^(?:${route.replace(REGEXP_SPECIALS, '\\$&')})(?:\\/$)?$`, 'i').test(path);
}
