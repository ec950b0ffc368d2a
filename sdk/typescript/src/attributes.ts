import type { Attributes, Metadata } from './types.ts'

/** Attributes with every field present: what a span carries and passes to its children. */
export interface ResolvedAttributes {
  readonly userId: string | null
  readonly sessionId: string | null
  readonly endpoint: string | null
  readonly environment: string | null
  readonly release: string | null
  readonly tags: readonly string[]
  readonly metadata: Readonly<Metadata>
}

export const NO_ATTRIBUTES: ResolvedAttributes = Object.freeze({
  userId: null,
  sessionId: null,
  endpoint: null,
  environment: null,
  release: null,
  tags: Object.freeze([]),
  metadata: Object.freeze({}),
})

function hasAny(own: Attributes): boolean {
  return (
    own.userId !== undefined ||
    own.sessionId !== undefined ||
    own.endpoint !== undefined ||
    own.environment !== undefined ||
    own.release !== undefined ||
    own.tags !== undefined ||
    own.metadata !== undefined
  )
}

function mergeTags(inherited: readonly string[], own: readonly string[] | undefined) {
  if (own === undefined || own.length === 0) return inherited
  if (inherited.length === 0) return own
  return [...new Set([...inherited, ...own])]
}

/**
 * The attributes of a span: its own where set, else its parent's (or the global ones). Tags add
 * up and metadata merges key by key. Returns `inherited` itself when nothing is set, so the
 * common call without attributes allocates nothing.
 */
export function mergeAttributes(
  inherited: ResolvedAttributes,
  own: Attributes | undefined,
): ResolvedAttributes {
  if (own === undefined || !hasAny(own)) return inherited
  return {
    userId: own.userId ?? inherited.userId,
    sessionId: own.sessionId ?? inherited.sessionId,
    endpoint: own.endpoint ?? inherited.endpoint,
    environment: own.environment ?? inherited.environment,
    release: own.release ?? inherited.release,
    tags: mergeTags(inherited.tags, own.tags),
    metadata: own.metadata ? { ...inherited.metadata, ...own.metadata } : inherited.metadata,
  }
}
