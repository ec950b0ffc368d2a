import { describe, expect, test } from 'bun:test'
import { countTokens, embedText } from './index.ts'
import { postJson, useFakeProvider } from './test-support.ts'

interface EmbeddingList {
  object: string
  model: string
  data: Array<{ object: string; index: number; embedding: number[] | string }>
  usage: { prompt_tokens: number; total_tokens: number }
}

const fake = useFakeProvider({ embeddingDimensions: 8 })
const embeddingsUrl = () => `${fake.url()}/v1/embeddings`

function decodeBase64Floats(text: string): number[] {
  const bytes = Uint8Array.from(atob(text), (char) => char.charCodeAt(0))
  return [...new Float32Array(bytes.buffer)]
}

describe('POST /v1/embeddings', () => {
  test('embeds a string as a stable unit vector of the default dimension', async () => {
    const request = { model: 'text-embedding-3-small', input: 'the cat sat' }
    const first: EmbeddingList = await (await postJson(embeddingsUrl(), request)).json()
    const second: EmbeddingList = await (await postJson(embeddingsUrl(), request)).json()

    expect(first).toMatchObject({ object: 'list', model: 'text-embedding-3-small' })
    const vector = first.data[0]?.embedding as number[]
    expect(vector).toHaveLength(8)
    expect(vector).toEqual(embedText('the cat sat', 8))
    expect(Math.hypot(...vector)).toBeCloseTo(1, 6)
    expect(second.data[0]?.embedding).toEqual(vector)
    expect(first.usage).toEqual({
      prompt_tokens: countTokens('the cat sat'),
      total_tokens: countTokens('the cat sat'),
    })
  })

  test('embeds each string of an array, indexed in order, and sums the usage', async () => {
    const input = ['alpha', 'beta gamma', 'delta']
    const body: EmbeddingList = await (
      await postJson(embeddingsUrl(), { model: 'text-embedding-3-small', input })
    ).json()
    expect(body.data.map((item) => item.index)).toEqual([0, 1, 2])
    expect(body.data[1]?.embedding).toEqual(embedText('beta gamma', 8))
    expect(body.data[0]?.embedding).not.toEqual(body.data[2]?.embedding)
    const tokens = input.reduce((total, text) => total + countTokens(text), 0)
    expect(body.usage.prompt_tokens).toBe(tokens)
  })

  test('honours `dimensions` and the base64 encoding the SDKs request by default', async () => {
    const request = {
      model: 'text-embedding-3-large',
      input: 'vectors',
      dimensions: 16,
      encoding_format: 'base64',
    }
    const body: EmbeddingList = await (await postJson(embeddingsUrl(), request)).json()
    const encoded = body.data[0]?.embedding
    expect(typeof encoded).toBe('string')
    const decoded = decodeBase64Floats(encoded as string)
    expect(decoded).toHaveLength(16)
    embedText('vectors', 16).forEach((value, index) => {
      expect(decoded[index]).toBeCloseTo(value, 6)
    })
  })

  test('counts token-id inputs by their length', async () => {
    const body: EmbeddingList = await (
      await postJson(embeddingsUrl(), { model: 'text-embedding-3-small', input: [1, 2, 3, 4] })
    ).json()
    expect(body.data).toHaveLength(1)
    expect(body.usage.prompt_tokens).toBe(4)
  })

  test('rejects an empty input with an OpenAI-shaped 400 naming the field', async () => {
    const response = await postJson(embeddingsUrl(), { model: 'text-embedding-3-small', input: [] })
    expect(response.status).toBe(400)
    expect((await response.json()).error).toMatchObject({
      type: 'invalid_request_error',
      param: 'input',
    })
  })
})
