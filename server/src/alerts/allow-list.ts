/**
 * The hosts webhooks may be posted to. Alert rules can be created through the API, so without
 * this list anyone holding a key could make the server send requests to any address it can
 * reach, the cloud metadata endpoint or an internal admin port included.
 *
 * A pattern is a host (`hooks.slack.com`, `127.0.0.1`, `[::1]`), optionally with a port
 * (`127.0.0.1:9000`), or `*.` and a domain for its subdomains (`*.example.com`, which does not
 * match `example.com` itself). A pattern without a port allows any port.
 */
export class WebhookAllowList {
  private constructor(private readonly patterns: readonly HostPattern[]) {}

  static readonly empty = new WebhookAllowList([])

  /** Parses a comma-separated list; throws with every bad pattern named. */
  static parse(text: string, source = 'LLMLENS_WEBHOOK_ALLOW'): WebhookAllowList {
    const problems: string[] = []
    const patterns: HostPattern[] = []
    for (const raw of text
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')) {
      const pattern = parsePattern(raw)
      if (pattern === null) {
        problems.push(
          `${source}: ${JSON.stringify(raw)} is not a host pattern; use a host, host:port or *.domain`,
        )
      } else patterns.push(pattern)
    }
    if (problems.length > 0) throw new Error(problems.join('; '))
    return new WebhookAllowList(patterns)
  }

  get size(): number {
    return this.patterns.length
  }

  /** Null when `url` may be posted to; otherwise why not, in words a user can act on. */
  refusal(url: string): string | null {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      return `${JSON.stringify(url)} is not a URL`
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return `${JSON.stringify(url)} must be http or https (actual: ${parsed.protocol.slice(0, -1)})`
    }
    if (parsed.username !== '' || parsed.password !== '') {
      return 'a webhook URL must not carry a user name or password; put secrets in its path'
    }
    const host = parsed.hostname.toLowerCase()
    const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80))
    if (this.patterns.some((p) => matches(p, host, port))) return null
    if (this.patterns.length === 0) {
      return `webhooks are off: no host is allowed; add ${parsed.host} to LLMLENS_WEBHOOK_ALLOW`
    }
    return `${parsed.host} is not on LLMLENS_WEBHOOK_ALLOW (${this.patterns.map((p) => p.text).join(', ')})`
  }
}

interface HostPattern {
  text: string
  /** The host, or the domain whose subdomains match when `subdomains` is set. */
  host: string
  subdomains: boolean
  port: number | null
}

const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*)$/

function parsePattern(raw: string): HostPattern | null {
  const text = raw.toLowerCase()
  const subdomains = text.startsWith('*.')
  const rest = subdomains ? text.slice(2) : text
  const portMatch = /^(.*?)(?::(\d{1,5}))?$/.exec(rest)
  const host = portMatch?.[1] ?? ''
  const port = portMatch?.[2] === undefined ? null : Number(portMatch[2])
  if (!HOST.test(host) || (port !== null && (port < 1 || port > 65_535))) return null
  if (subdomains && host.startsWith('[')) return null
  return { text: raw, host, subdomains, port }
}

function matches(pattern: HostPattern, host: string, port: number): boolean {
  if (pattern.port !== null && pattern.port !== port) return false
  return pattern.subdomains ? host.endsWith(`.${pattern.host}`) : host === pattern.host
}
