/**
 * Provider ids by every spelling seen on the wire: OTel GenAI `gen_ai.provider.name` and the
 * deprecated `gen_ai.system`, OpenInference `llm.provider` / `llm.system`, OpenLLMetry
 * `GenAISystem`, and the Vercel AI SDK's provider names (matched after dropping their dotted
 * API suffix, see `canonicalProvider`).
 */
const providerAliases: ReadonlyMap<string, string> = new Map(
  Object.entries({
    openai: 'openai',
    azure: 'azure',
    azure_openai: 'azure',
    'azure-openai': 'azure',
    'az.ai.openai': 'azure',
    'azure.ai.openai': 'azure',
    'az.ai.inference': 'azure',
    'azure.ai.inference': 'azure',
    aws: 'aws_bedrock',
    aws_bedrock: 'aws_bedrock',
    'aws.bedrock': 'aws_bedrock',
    bedrock: 'aws_bedrock',
    'amazon-bedrock': 'aws_bedrock',
    amazon: 'aws_bedrock',
    google_vertex: 'google_vertex',
    'gcp.vertex_ai': 'google_vertex',
    vertex_ai: 'google_vertex',
    vertexai: 'google_vertex',
    vertex: 'google_vertex',
    'google.vertex': 'google_vertex',
    google: 'google',
    'gcp.gemini': 'google',
    'gcp.gen_ai': 'google',
    gemini: 'google',
    google_genai: 'google',
    'google.generative-ai': 'google',
    anthropic: 'anthropic',
    mistral: 'mistral',
    mistral_ai: 'mistral',
    mistralai: 'mistral',
    cohere: 'cohere',
    groq: 'groq',
    deepseek: 'deepseek',
    'x-ai': 'x-ai',
    xai: 'x-ai',
    x_ai: 'x-ai',
    perplexity: 'perplexity',
    ollama: 'ollama',
    vllm: 'vllm',
    'ibm.watsonx.ai': 'ibm_watsonx',
    watsonx: 'ibm_watsonx',
    moonshotai: 'moonshotai',
    moonshot: 'moonshotai',
    moonshot_ai: 'moonshotai',
    together: 'together',
    together_ai: 'together',
    togetherai: 'together',
    fireworks: 'fireworks',
    fireworks_ai: 'fireworks',
    huggingface: 'huggingface',
    hugging_face: 'huggingface',
    openrouter: 'openrouter',
    cerebras: 'cerebras',
    replicate: 'replicate',
    aleph_alpha: 'aleph_alpha',
    ai21: 'ai21',
    meta: 'meta',
  }),
)

/**
 * Values that name a framework or say "none of these" rather than who served the call:
 * OTel's `_OTHER`, and OpenLLMetry's `langchain` and `crewai`. The model id says more.
 */
const notProviders = new Set(['', '_other', 'langchain', 'crewai'])

/** Model id prefixes that identify their maker when the provider is missing. */
const providerByModel: readonly (readonly [RegExp, string])[] = [
  // Google's own embedding models, before OpenAI's `text-embedding-` rule below.
  [/^text-(?:multilingual-)?embedding-0\d\d/, 'google'],
  [/^(?:gpt-|chatgpt-|text-embedding-|o[134](?:-|$)|dall-e-|tts-1|omni-moderation)/, 'openai'],
  [/claude/, 'anthropic'],
  [/gemini/, 'google'],
  [
    /^(?:mistral|mixtral|codestral|ministral|pixtral|magistral|devstral|open-mi[sx]tral)/,
    'mistral',
  ],
  [/^command/, 'cohere'],
  [/^grok/, 'x-ai'],
  [/^deepseek/, 'deepseek'],
]

/**
 * Distinct raw names remembered per cache before it starts over. Real traffic has tens of
 * names; 4,096 short strings stay under 1 MB even if a client sends junk.
 */
const namesCachedMax = 4096

const providerByRaw = new Map<string, string | null>()
const providerByModelId = new Map<string, string | null>()
const modelByRaw = new Map<string, string | null>()
const familyByModel = new Map<string, string>()

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= namesCachedMax) cache.clear()
  cache.set(key, value)
  return value
}

/** `google.vertex.chat` → `google.vertex` → `google` → '' */
function parentName(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(0, dot) : ''
}

/** Our id for a provider name, or null when it names no provider. Unknown names stay as sent. */
function canonicalProvider(raw: string): string | null {
  const name = raw.trim().toLowerCase()
  if (notProviders.has(name)) return null

  // The Vercel AI SDK appends the API to the provider: `openai.responses`, `google.vertex.chat`.
  for (let prefix = name; prefix !== ''; prefix = parentName(prefix)) {
    const known = providerAliases.get(prefix)
    if (known !== undefined) return known
  }
  return name
}

/** The provider named by a `provider/` routing prefix, as in `openai/gpt-4o`. */
function routedProvider(model: string): string | null {
  const slash = model.indexOf('/')
  if (slash <= 0) return null
  return providerAliases.get(model.slice(0, slash).trim().toLowerCase()) ?? null
}

function inferProvider(model: string): string | null {
  const routed = routedProvider(model)
  if (routed !== null) return routed

  const id = normaliseModel(model)
  if (id === null) return null
  for (const [pattern, provider] of providerByModel) {
    if (pattern.test(id)) return provider
  }
  return null
}

/**
 * One id per provider, whatever the instrumentation called it; inferred from the model id when
 * the provider is missing or names a framework.
 *
 * @example
 * normaliseProvider('az.ai.openai', 'gpt-4o') // 'azure'
 * normaliseProvider(null, 'claude-sonnet-4-20250514') // 'anthropic'
 */
export function normaliseProvider(
  raw: string | null | undefined,
  model: string | null,
): string | null {
  if (raw !== null && raw !== undefined) {
    let provider = providerByRaw.get(raw)
    if (provider === undefined) provider = remember(providerByRaw, raw, canonicalProvider(raw))
    if (provider !== null) return provider
  }

  if (model === null) return null
  const inferred = providerByModelId.get(model)
  if (inferred !== undefined) return inferred
  return remember(providerByModelId, model, inferProvider(model))
}

function canonicalModel(raw: string): string | null {
  let model = raw.trim().toLowerCase()

  // Gemini API resource names: `models/gemini-2.0-flash`.
  if (model.startsWith('models/')) model = model.slice('models/'.length)

  // Routing prefixes stack on gateways (`openrouter/anthropic/claude-3.5-sonnet`).
  for (let slash = model.indexOf('/'); slash > 0; slash = model.indexOf('/')) {
    const rest = model.slice(slash + 1)
    if (rest === '' || !providerAliases.has(model.slice(0, slash))) break
    model = rest
  }
  return model === '' ? null : model
}

/**
 * A model id in one spelling: trimmed, lower case, without a known provider's routing prefix.
 * Dated ids stay as sent; `modelFamily` groups them.
 *
 * @example
 * normaliseModel(' OpenAI/GPT-4o ') // 'gpt-4o'
 */
export function normaliseModel(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null
  const known = modelByRaw.get(raw)
  if (known !== undefined) return known
  return remember(modelByRaw, raw, canonicalModel(raw))
}

/**
 * Release suffixes, tried at the end of the id until none applies. Each one is a date or a
 * snapshot tag; the parts that tell models apart (sizes, `mini`, `16k`, `v2`) never match.
 */
const releaseSuffixes: readonly RegExp[] = [
  // -latest, :latest (Ollama tags)
  /[-:]latest$/,
  // -v1:0, the Bedrock revision
  /-v\d+:\d+$/,
  // -2024-07-18, -20250514, @20241022 (Vertex)
  /[-@]20\d\d-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])$/,
  // -08-2024, Cohere's month and year
  /-(?:0[1-9]|1[0-2])-20\d\d$/,
  // -preview-04-17, a month and day after a word
  /(?<=[a-z])-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/,
  // -0613 (month, day) as OpenAI dates, -2411 (year, month) as Mistral's
  /-(?:(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|2\d(?:0[1-9]|1[0-2]))$/,
]

/**
 * Google's `-001` snapshot tags. Stripped only when a version number remains, because in
 * `text-embedding-004` or `chat-bison-001` the tag is the only version the name has.
 */
const snapshotTag = /-0\d\d$/
const digit = /\d/

function familyOf(model: string): string {
  let family = model
  for (let changed = true; changed; ) {
    changed = false
    for (const suffix of releaseSuffixes) {
      const stripped = family.replace(suffix, '')
      if (stripped !== family && stripped !== '') {
        family = stripped
        changed = true
      }
    }
    const untagged = family.replace(snapshotTag, '')
    if (untagged !== family && digit.test(untagged)) {
      family = untagged
      changed = true
    }
  }
  return family
}

/**
 * A normalised model id without its release date or snapshot tag, so dated releases group
 * with their family.
 *
 * @example
 * modelFamily('claude-sonnet-4-20250514') // 'claude-sonnet-4'
 * modelFamily('gpt-4o-mini-2024-07-18') // 'gpt-4o-mini'
 */
export function modelFamily(model: string): string {
  const known = familyByModel.get(model)
  if (known !== undefined) return known
  return remember(familyByModel, model, familyOf(model))
}
