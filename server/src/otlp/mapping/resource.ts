import type { Attributes } from '../model.ts'
import { text } from './read.ts'

/** What a resource says about every span under it; a span's own attributes override it. */
export interface ResourceDefaults {
  endpoint: string | null
  environment: string | null
  release: string | null
}

/**
 * `service.name` → endpoint, `deployment.environment.name` (or its pre-1.27 name
 * `deployment.environment`) → environment, `service.version` → release. The SDKs' fallback name
 * `unknown_service[:process]` says only that nobody set one, so it is no endpoint.
 */
export function resourceDefaults(resource: Attributes): ResourceDefaults {
  const service = text(resource, 'service.name')
  return {
    endpoint: service === null || service.startsWith('unknown_service') ? null : service,
    environment: text(resource, 'deployment.environment.name', 'deployment.environment'),
    release: text(resource, 'service.version'),
  }
}
