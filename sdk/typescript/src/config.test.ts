import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { resolveConfig } from './config.ts'

function resolve(options: Parameters<typeof resolveConfig>[0], env: Record<string, string> = {}) {
  const warnings: string[] = []
  const config = resolveConfig({ ...options, warn: (message) => warnings.push(message) }, env)
  return { config, warnings }
}

describe('configuration', () => {
  test('defaults, silently', () => {
    const { config, warnings } = resolve({})
    assert.equal(config.ingestUrl, 'http://127.0.0.1:4380/api/v1/ingest')
    assert.equal(config.apiKey, null)
    assert.equal(config.sampleRate, 1)
    assert.equal(config.queueSizeMax, 2048)
    assert.equal(config.batchSizeMax, 512)
    assert.equal(config.flushIntervalMs, 1000)
    assert.equal(config.exportTimeoutMs, 10_000)
    assert.equal(config.captureContent, true)
    assert.equal(config.contentLengthMax, 1_048_576)
    assert.deepEqual(warnings, [])
  })

  test('options win over the environment, which wins over defaults', () => {
    const env = {
      LLMLENS_URL: 'https://env.example/',
      LLMLENS_API_KEY: 'env-key-0123456789',
      LLMLENS_SAMPLE_RATE: '0.25',
      LLMLENS_ENVIRONMENT: 'staging',
      LLMLENS_RELEASE: '9.9.9',
      LLMLENS_CAPTURE_CONTENT: 'false',
    }
    const fromEnv = resolve({}, env).config
    assert.equal(fromEnv.ingestUrl, 'https://env.example/api/v1/ingest')
    assert.equal(fromEnv.apiKey, 'env-key-0123456789')
    assert.equal(fromEnv.sampleRate, 0.25)
    assert.equal(fromEnv.captureContent, false)
    assert.equal(fromEnv.attributes.environment, 'staging')
    assert.equal(fromEnv.attributes.release, '9.9.9')

    const fromOptions = resolve(
      { url: 'http://opt:1', sampleRate: 0.5, environment: 'prod' },
      env,
    ).config
    assert.equal(fromOptions.ingestUrl, 'http://opt:1/api/v1/ingest')
    assert.equal(fromOptions.sampleRate, 0.5)
    assert.equal(fromOptions.attributes.environment, 'prod')
    assert.equal(fromOptions.attributes.release, '9.9.9')
  })

  test('a bad value warns with the variable and the value seen, then falls back', () => {
    const { config, warnings } = resolve(
      { flushIntervalMs: -5 },
      { LLMLENS_SAMPLE_RATE: 'abc', LLMLENS_QUEUE_SIZE_MAX: '1.5', LLMLENS_URL: 'ftp://x' },
    )
    assert.equal(config.sampleRate, 1)
    assert.equal(config.queueSizeMax, 2048)
    assert.equal(config.flushIntervalMs, 1000)
    assert.equal(config.ingestUrl, 'http://127.0.0.1:4380/api/v1/ingest')
    assert.deepEqual(warnings.sort(), [
      'llmlens: LLMLENS_QUEUE_SIZE_MAX must be an integer from 1 to 1000000 (actual: "1.5"); using 2048',
      'llmlens: LLMLENS_SAMPLE_RATE must be a number from 0 to 1 (actual: "abc"); using 1',
      'llmlens: LLMLENS_URL must be an http:// or https:// URL (actual: "ftp://x"); using "http://127.0.0.1:4380"',
      'llmlens: options.flushIntervalMs must be an integer from 1 to 3600000 (actual: -5); using 1000',
    ])
  })

  test('a bad option falls back to a good environment value', () => {
    const { config, warnings } = resolve({ sampleRate: 7 }, { LLMLENS_SAMPLE_RATE: '0.1' })
    assert.equal(config.sampleRate, 0.1)
    assert.deepEqual(warnings, [
      'llmlens: options.sampleRate must be a number from 0 to 1 (actual: 7); using 0.1',
    ])
  })

  test('each complaint is made once per process', () => {
    const env = { LLMLENS_BATCH_SIZE_MAX: 'lots' }
    assert.equal(resolve({}, env).warnings.length, 1)
    assert.equal(resolve({}, env).warnings.length, 0)
  })

  test('a batch larger than the queue is clamped to it, with a word', () => {
    const { config, warnings } = resolve({ queueSizeMax: 10, batchSizeMax: 50 })
    assert.equal(config.batchSizeMax, 10)
    assert.deepEqual(warnings, ['llmlens: batchSizeMax 50 exceeds queueSizeMax 10; using 10'])
  })
})
