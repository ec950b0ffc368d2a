// Only these schemes may become a link; everything else (javascript:, data:, vbscript:, blob:,
// file:) is shown as text. Parsing with URL, not matching a prefix, is what defeats the tricks
// a prefix test misses: leading control characters, tabs inside the scheme, mixed case.
const LINK_SCHEMES = new Set(['http:', 'https:'])

/** The URL to use as an href if `value` is an absolute http(s) URL, else null. */
export function safeHref(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return null
  }
  if (!LINK_SCHEMES.has(url.protocol)) return null
  // Returning the serialised URL, not the input, means what is checked is what is used.
  return url.href
}

/** A path inside the dashboard with each untrusted segment percent-encoded. */
export function appPath(...segments: string[]): string {
  return `/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`
}
