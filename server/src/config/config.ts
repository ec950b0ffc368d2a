import { parseArgs } from 'node:util'
import { WebhookAllowList } from '../alerts/allow-list.ts'
import type { LogLevel } from '../log.ts'

export interface Config {
  port: number
  host: string
  dbPath: string
  apiKeys: string[]
  bodyBytesMax: number
  retentionDays: number | null
  pricesPath: string | null
  logLevel: LogLevel
  /** A JSON file of alert rules, read and checked at start. */
  alertsPath: string | null
  /** Host patterns webhooks may be posted to; empty turns webhooks off. */
  webhookAllow: string[]
  /** The OTLP/gRPC port (4317 by convention, 0 for any free one), or null for no gRPC. */
  grpcPort: number | null
}

/** Every setting: its flag, its environment variable, its default and how to read it. */
const SETTINGS = {
  port: { env: 'LLMLENS_PORT', flag: 'port', default: '4380' },
  host: { env: 'LLMLENS_HOST', flag: 'host', default: '127.0.0.1' },
  db: { env: 'LLMLENS_DB', flag: 'db', default: './data/llmlens.db' },
  store: { env: 'LLMLENS_STORE', flag: 'store', default: 'sqlite' },
  apiKeys: { env: 'LLMLENS_API_KEYS', flag: 'api-keys', default: '' },
  bodyBytesMax: {
    env: 'LLMLENS_BODY_MAX_BYTES',
    flag: 'body-max-bytes',
    default: String(32 * 1024 * 1024),
  },
  retentionDays: { env: 'LLMLENS_RETENTION_DAYS', flag: 'retention-days', default: '' },
  prices: { env: 'LLMLENS_PRICES', flag: 'prices', default: '' },
  logLevel: { env: 'LLMLENS_LOG_LEVEL', flag: 'log-level', default: 'info' },
  alerts: { env: 'LLMLENS_ALERTS', flag: 'alerts', default: '' },
  webhookAllow: { env: 'LLMLENS_WEBHOOK_ALLOW', flag: 'webhook-allow', default: '' },
  grpcPort: { env: 'LLMLENS_GRPC_PORT', flag: 'grpc-port', default: '' },
} as const

type Setting = keyof typeof SETTINGS

// 1 GiB: past this a single request would hold more memory than a small server should spend.
const BODY_BYTES_MAX_CEILING = 1024 * 1024 * 1024

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`)
  }
}

export const CONFIG_HELP = Object.values(SETTINGS)
  .map((s) => `  --${s.flag.padEnd(16)} ${s.env.padEnd(24)} default: ${s.default || '(none)'}`)
  .join('\n')

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return (
    host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)
  )
}

/**
 * Reads the configuration: a flag wins over its environment variable, which wins over the
 * default. Collects every problem, each naming the variable, the value seen and what is
 * allowed, and throws them together so one restart fixes them all.
 */
export function loadConfig(env: Record<string, string | undefined>, argv: string[]): Config {
  const options = Object.fromEntries(
    Object.values(SETTINGS).map((s) => [s.flag, { type: 'string' as const }]),
  )
  const { values: flags } = parseArgs({
    args: argv,
    options,
    strict: true,
    allowPositionals: false,
  })
  const problems: string[] = []

  const raw = (setting: Setting) => {
    const s = SETTINGS[setting]
    const flag = flags[s.flag]
    if (typeof flag === 'string') return { value: flag, name: `--${s.flag}` }
    return { value: env[s.env] ?? s.default, name: s.env }
  }
  const integer = (setting: Setting, min: number, max: number): number => {
    const { value, name } = raw(setting)
    const n = Number(value)
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      problems.push(
        `${name}: expected an integer from ${min} to ${max} (actual: ${JSON.stringify(value)})`,
      )
      return Number(SETTINGS[setting].default)
    }
    return n
  }

  const port = integer('port', 0, 65_535)
  const bodyBytesMax = integer('bodyBytesMax', 1024, BODY_BYTES_MAX_CEILING)
  const host = raw('host').value.trim()
  if (host === '')
    problems.push(`${raw('host').name}: expected a host name or address (actual: "")`)

  const store = raw('store')
  if (store.value !== 'sqlite') {
    problems.push(
      `${store.name}: only "sqlite" is available in this version (actual: ${JSON.stringify(store.value)})`,
    )
  }

  const apiKeys = raw('apiKeys')
    .value.split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '')
  for (const key of apiKeys) {
    if (key.length < 16) {
      problems.push(
        `${raw('apiKeys').name}: each key needs at least 16 characters (one has ${key.length})`,
      )
    }
  }

  const retention = raw('retentionDays')
  let retentionDays: number | null = null
  if (retention.value.trim() !== '') {
    const days = Number(retention.value)
    if (!Number.isFinite(days) || days <= 0) {
      problems.push(
        `${retention.name}: expected a number of days > 0 (actual: ${JSON.stringify(retention.value)})`,
      )
    } else retentionDays = days
  }

  const logLevel = raw('logLevel')
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel.value)) {
    problems.push(
      `${logLevel.name}: expected debug, info, warn or error (actual: ${JSON.stringify(logLevel.value)})`,
    )
  }

  if (host !== '' && !isLoopback(host) && apiKeys.length === 0) {
    problems.push(
      `${raw('host').name}=${host} is reachable from other machines, so LLMLENS_API_KEYS must be set ` +
        '(comma-separated keys of 16+ characters); or bind to 127.0.0.1',
    )
  }

  // Off unless asked for: OTLP/HTTP on the main port serves every exporter, and a fixed second
  // port would collide between servers sharing a machine (tests, several environments).
  const grpcPort = raw('grpcPort').value.trim() === '' ? null : integer('grpcPort', 0, 65_535)

  const webhookAllow = raw('webhookAllow')
  try {
    WebhookAllowList.parse(webhookAllow.value, webhookAllow.name)
  } catch (error) {
    problems.push((error as Error).message)
  }

  if (problems.length > 0) throw new ConfigError(problems)
  const prices = raw('prices').value.trim()
  return {
    port,
    host,
    dbPath: raw('db').value,
    apiKeys,
    bodyBytesMax,
    retentionDays,
    pricesPath: prices === '' ? null : prices,
    logLevel: logLevel.value as LogLevel,
    alertsPath: raw('alerts').value.trim() === '' ? null : raw('alerts').value.trim(),
    webhookAllow: webhookAllow.value
      .split(',')
      .map((pattern) => pattern.trim())
      .filter((pattern) => pattern !== ''),
    grpcPort,
  }
}
