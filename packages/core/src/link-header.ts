// Loaded on demand with the catch-up (rest.ts's chunk): only a REST walk reads `Link` headers.

/** Parses an RFC 8288 `Link` header into rel → URL. */
export function parseLinkHeader(header: string | null): Map<string, string> {
  const links = new Map<string, string>();
  if (!header) return links;
  // `[^<>]`, not `[^>]`: a URL part holds no `<`, and with `[^>]` every `<` of a hostile header scanned to its end (quadratic).
  for (const match of header.matchAll(/<([^<>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '')?.[1];
    if (rel && match[1] !== undefined) for (const name of rel.split(/\s+/)) links.set(name, match[1]);
  }
  return links;
}
