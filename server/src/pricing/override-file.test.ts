import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadPriceOverrides } from './override-file.ts'

const folder = mkdtempSync(join(tmpdir(), 'llmlens-prices-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** Writes `text` as prices.json in a fresh folder and returns the path to it. */
function priceFile(text: string): string {
  const path = join(mkdtempSync(join(folder, 'case-')), 'prices.json')
  writeFileSync(path, text)
  return path
}

function errorOf(text: string): string {
  const path = priceFile(text)
  try {
    loadPriceOverrides(path)
  } catch (error) {
    return (error as Error).message.replace(path, 'prices.json')
  }
  throw new Error('expected the price file to be rejected')
}

const valid = { model: 'm', inputPerMTokUsd: 1, outputPerMTokUsd: 2 }

function models(...entries: unknown[]): string {
  return JSON.stringify({ models: entries })
}

describe('loadPriceOverrides', () => {
  test('reads every documented field', () => {
    const path = priceFile(
      models(
        {
          model: 'llama-3.1-8b-instruct',
          provider: 'vllm',
          inputPerMTokUsd: 0.1,
          outputPerMTokUsd: 0.2,
        },
        {
          match: '^acme-',
          inputPerMTokUsd: 1,
          outputPerMTokUsd: 4,
          cacheReadPerMTokUsd: 0.1,
          cacheWritePerMTokUsd: 1.25,
        },
        { model: 'free-model', inputPerMTokUsd: 0, outputPerMTokUsd: 0 },
      ),
    )
    expect(loadPriceOverrides(path)).toEqual([
      {
        model: 'llama-3.1-8b-instruct',
        provider: 'vllm',
        inputPerMTokUsd: 0.1,
        outputPerMTokUsd: 0.2,
      },
      {
        match: '^acme-',
        inputPerMTokUsd: 1,
        outputPerMTokUsd: 4,
        cacheReadPerMTokUsd: 0.1,
        cacheWritePerMTokUsd: 1.25,
      },
      { model: 'free-model', inputPerMTokUsd: 0, outputPerMTokUsd: 0 },
    ])
  })

  test('an empty list is valid', () => {
    expect(loadPriceOverrides(priceFile('{ "models": [] }'))).toEqual([])
  })

  const cases: readonly [string, string, string][] = [
    [
      'a rate that is not a number',
      models(valid, valid, { ...valid, inputPerMTokUsd: 'abc' }),
      'prices.json: models[2].inputPerMTokUsd must be a number ≥ 0 (actual: "abc")',
    ],
    [
      'a negative rate',
      models({ ...valid, cacheReadPerMTokUsd: -0.5 }),
      'prices.json: models[0].cacheReadPerMTokUsd must be a number ≥ 0 (actual: -0.5)',
    ],
    [
      'a missing output rate',
      models({ model: 'm', inputPerMTokUsd: 1 }),
      'prices.json: models[0].outputPerMTokUsd must be a number ≥ 0 (actual: missing)',
    ],
    [
      'neither model nor match',
      models({ inputPerMTokUsd: 1, outputPerMTokUsd: 1 }),
      'prices.json: models[0] must have exactly one of model or match (actual: neither)',
    ],
    [
      'both model and match',
      models({ ...valid, match: '^m' }),
      'prices.json: models[0] must have exactly one of model or match (actual: both)',
    ],
    [
      'an empty model id',
      models({ ...valid, model: ' ' }),
      'prices.json: models[0].model must be a non-empty string (actual: " ")',
    ],
    [
      'a provider that is not a string',
      models({ ...valid, provider: 7 }),
      'prices.json: models[0].provider must be a non-empty string (actual: 7)',
    ],
    [
      'a broken regular expression',
      models({ match: '(llama', inputPerMTokUsd: 1, outputPerMTokUsd: 1 }),
      'prices.json: models[0].match must be a valid JavaScript regular expression ' +
        '(Invalid regular expression: missing )) (actual: "(llama")',
    ],
    [
      'a misspelt key',
      models({ ...valid, inputPerMtokUsd: 1 }),
      'prices.json: models[0].inputPerMtokUsd is not a known key; allowed: model, match, ' +
        'provider, inputPerMTokUsd, outputPerMTokUsd, cacheReadPerMTokUsd, ' +
        'cacheWritePerMTokUsd (actual: 1)',
    ],
    [
      'an entry that is not an object',
      models('gpt-4o'),
      'prices.json: models[0] must be an object (actual: "gpt-4o")',
    ],
    [
      'models that is not a list',
      '{ "models": { "model": "m" } }',
      'prices.json: models must be an array of model prices (actual: {"model":"m"})',
    ],
    [
      'no models key',
      '{}',
      'prices.json: models must be an array of model prices (actual: missing)',
    ],
    [
      'an unknown top-level key',
      '{ "models": [], "currency": "EUR" }',
      'prices.json: currency is not a known key; allowed: models (actual: "EUR")',
    ],
    [
      'a top level that is a list',
      '[]',
      'prices.json: the top level must be an object such as { "models": [...] } (actual: [])',
    ],
  ]

  for (const [name, text, message] of cases) {
    test(`rejects ${name}`, () => {
      expect(errorOf(text)).toBe(message)
    })
  }

  test('rejects text that is not JSON, naming the file', () => {
    expect(errorOf('{ "models": [ }')).toStartWith('prices.json: is not valid JSON (')
  })

  test('rejects a file that cannot be read, naming it', () => {
    const path = join(folder, 'missing.json')
    expect(() => loadPriceOverrides(path)).toThrow(`${path}: cannot read the price file (`)
  })
})
