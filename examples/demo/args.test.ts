import { describe, expect, test } from 'bun:test'
import { DEFAULT_LLMLENS_URL, parseDemoArgs } from './args.ts'
import { DEFAULT_TRACES_PER_MINUTE } from './traffic.ts'

describe('parseDemoArgs', () => {
  test('defaults: 6 hours at the default rate, then live, to the local server', () => {
    expect(parseDemoArgs([], {}, 77)).toEqual({
      url: DEFAULT_LLMLENS_URL,
      apiKey: null,
      hours: 6,
      rate: DEFAULT_TRACES_PER_MINUTE,
      liveRate: 2,
      once: false,
      seed: 77,
      help: false,
    })
  })

  test('flags win over the environment, which wins over defaults', () => {
    const env = { LLMLENS_URL: 'http://10.0.0.5:4380', LLMLENS_API_KEY: 'k' }
    expect(parseDemoArgs([], env, 1)).toMatchObject({ url: 'http://10.0.0.5:4380', apiKey: 'k' })
    expect(parseDemoArgs(['--url=http://other:1'], env, 1)).toMatchObject({ url: 'http://other:1' })
  })

  test('reads every flag', () => {
    const argv = ['--hours', '2', '--rate', '30', '--live-rate', '0.5', '--once', '--seed', '3']
    expect(parseDemoArgs(argv, {}, 1)).toMatchObject({
      hours: 2,
      rate: 30,
      liveRate: 0.5,
      once: true,
      seed: 3,
    })
  })

  test.each([
    [['--hours', '0'], '--hours must be a number in (0, 744] (actual: "0")'],
    [['--rate', 'fast'], '--rate must be a number of traces per minute > 0 (actual: "fast")'],
    [['--seed', '1.5'], '--seed must be an integer (actual: "1.5")'],
    [['--url', 'localhost:4380'], '--url must be an http(s) URL (actual: "localhost:4380")'],
    [['--hours'], '--hours needs a value'],
    [['--verbose', '1'], 'unknown option --verbose'],
  ])('rejects %j with a message naming the flag', (argv, message) => {
    expect(parseDemoArgs(argv, {}, 1)).toBe(message)
  })

  test('reports a malformed LLMLENS_URL', () => {
    expect(parseDemoArgs([], { LLMLENS_URL: 'nope' }, 1)).toBe(
      'LLMLENS_URL must be an http(s) URL (actual: "nope")',
    )
  })
})
