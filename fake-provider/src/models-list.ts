import type { ProviderApi, ResolvedModel } from './options.ts'

// A fixed creation time keeps listings identical across runs (2023-11-14T22:13:20Z).
const CREATED_SEC = 1_700_000_000

/**
 * `GET /v1/models` in the shape of the API that asks: Anthropic's SDKs send
 * `anthropic-version`, and get Anthropic's models in Anthropic's shape; everyone else gets
 * the OpenAI-compatible models (including self-hosted ones) in OpenAI's shape.
 */
export function modelsResponse(models: Iterable<ResolvedModel>, api: ProviderApi): Response {
  const listed = [...models].filter((model) => model.provider === api)

  if (api === 'openai') {
    const data = listed.map((model) => ({
      id: model.name,
      object: 'model',
      created: CREATED_SEC,
      owned_by: model.ownedBy,
    }))
    return Response.json({ object: 'list', data })
  }

  const data = listed.map((model) => ({
    type: 'model',
    id: model.name,
    display_name: model.name,
    created_at: new Date(CREATED_SEC * 1000).toISOString(),
  }))
  return Response.json({
    data,
    has_more: false,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
  })
}
