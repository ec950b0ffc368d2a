import { describe, expect, test } from 'bun:test'
import { ConfigError, isLoopback, loadConfig } from './config.ts'

function problems(env: Record<string, string>, argv: string[] = []): string[] {
  try {
    loadConfig(env, argv)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

describe('loadConfig', () => {
  test('defaults match DESIGN.md', () => {
    expect(loadConfig({}, [])).toEqual({
      port: 4380,
      host: '127.0.0.1',
      dbPath: './data/llmlens.db',
      apiKeys: [],
      bodyBytesMax: 33_554_432,
      retentionDays: null,
      pricesPath: null,
      logLevel: 'info',
      alertsPath: null,
      webhookAllow: [],
      grpcPort: null,
    })
  })

  test('a flag wins over its environment variable', () => {
    const config = loadConfig({ LLMLENS_PORT: '5000', LLMLENS_DB: '/tmp/a.db' }, ['--port', '6000'])
    expect(config.port).toBe(6000)
    expect(config.dbPath).toBe('/tmp/a.db')
  })

  test('every bad value is named with what was seen and what is allowed', () => {
    expect(
      problems({
        LLMLENS_PORT: 'abc',
        LLMLENS_BODY_MAX_BYTES: '-1',
        LLMLENS_RETENTION_DAYS: 'forever',
        LLMLENS_STORE: 'postgres://x',
      }),
    ).toEqual([
      'LLMLENS_PORT: expected an integer from 0 to 65535 (actual: "abc")',
      'LLMLENS_BODY_MAX_BYTES: expected an integer from 1024 to 1073741824 (actual: "-1")',
      'LLMLENS_STORE: only "sqlite" is available in this version (actual: "postgres://x")',
      'LLMLENS_RETENTION_DAYS: expected a number of days > 0 (actual: "forever")',
    ])
  })

  test('refuses a non-loopback host without API keys, and says why', () => {
    expect(problems({ LLMLENS_HOST: '0.0.0.0' })).toEqual([
      'LLMLENS_HOST=0.0.0.0 is reachable from other machines, so LLMLENS_API_KEYS must be set ' +
        '(comma-separated keys of 16+ characters); or bind to 127.0.0.1',
    ])
    const keys = 'k1-0123456789abcdef, k2-0123456789abcdef'
    expect(loadConfig({ LLMLENS_HOST: '0.0.0.0', LLMLENS_API_KEYS: keys }, []).apiKeys).toEqual([
      'k1-0123456789abcdef',
      'k2-0123456789abcdef',
    ])
  })

  test('rejects short API keys', () => {
    expect(problems({ LLMLENS_API_KEYS: 'short' })).toEqual([
      'LLMLENS_API_KEYS: each key needs at least 16 characters (one has 5)',
    ])
  })

  test('an unknown flag fails loudly', () => {
    expect(() => loadConfig({}, ['--prot', '1'])).toThrow(/prot/)
  })
})

describe('isLoopback', () => {
  test('knows the loopback range', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1'].every(isLoopback)).toBe(true)
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.org'].some(isLoopback)).toBe(false)
  })
})

describe('alerts settings', () => {
  test('LLMLENS_ALERTS and LLMLENS_WEBHOOK_ALLOW are read, each also a flag', () => {
    const config = loadConfig(
      { LLMLENS_ALERTS: './alerts.json', LLMLENS_WEBHOOK_ALLOW: 'hooks.slack.com, *.example.com' },
      ['--webhook-allow', '127.0.0.1:9000'],
    )
    expect([config.alertsPath, config.webhookAllow]).toEqual(['./alerts.json', ['127.0.0.1:9000']])
  })

  test('a webhook host pattern that is not one is named', () => {
    expect(problems({ LLMLENS_WEBHOOK_ALLOW: 'ok.com,https://x.com/hook' })).toEqual([
      'LLMLENS_WEBHOOK_ALLOW: "https://x.com/hook" is not a host pattern; use a host, host:port or *.domain',
    ])
  })
})

describe('OTLP/gRPC setting', () => {
  test('off unless LLMLENS_GRPC_PORT or --grpc-port names a port', () => {
    expect(loadConfig({}, []).grpcPort).toBeNull()
    expect(loadConfig({ LLMLENS_GRPC_PORT: '4317' }, []).grpcPort).toBe(4317)
    expect(loadConfig({ LLMLENS_GRPC_PORT: '4317' }, ['--grpc-port', '0']).grpcPort).toBe(0)
  })

  test('a port that is not one is named', () => {
    expect(problems({ LLMLENS_GRPC_PORT: 'grpc' })).toEqual([
      'LLMLENS_GRPC_PORT: expected an integer from 0 to 65535 (actual: "grpc")',
    ])
  })
})
