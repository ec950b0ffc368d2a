import { findProvider } from '@pydantic/genai-prices'

/** Our provider ids that the price library spells differently. */
const libraryIds: ReadonlyMap<string, string> = new Map([
  ['aws_bedrock', 'aws'],
  ['google_vertex', 'google'],
])

/**
 * Providers that run open-weight models on the user's own hardware. A public price list says
 * nothing about what such a call costs, so they are priced only by the user's overrides.
 */
const selfHosted = new Set(['ollama', 'vllm', 'lmstudio', 'llamacpp', 'localai', 'tgi'])

/** How the library should pick the provider for one of our provider ids. */
export type LibraryProvider =
  | { readonly kind: 'none' }
  | { readonly kind: 'by-model' }
  | { readonly kind: 'provider'; readonly providerId: string }

/**
 * Maps our provider id onto the library's: self-hosted runtimes get no library price, and a
 * provider the library does not know, or none at all, lets the library match by model id.
 */
export function libraryProvider(provider: string | null): LibraryProvider {
  if (provider === null) return { kind: 'by-model' }
  if (selfHosted.has(provider)) return { kind: 'none' }

  const found = findProvider({ providerId: libraryIds.get(provider) ?? provider })
  return found === undefined ? { kind: 'by-model' } : { kind: 'provider', providerId: found.id }
}
