import type { TSchema } from '@sinclair/typebox'
import type { ParamSpecs } from './params.ts'

/** What the OpenAPI document says of one route; each route file declares its own. */
export interface RouteDoc {
  method: 'get' | 'post' | 'delete'
  path: string
  summary: string
  params?: ParamSpecs
  pathParams?: Record<string, string>
  requestBody?: TSchema
  /** A JSON response schema, or another content type with a description. */
  response: TSchema | { contentType: string; description: string }
  errors: number[]
}
