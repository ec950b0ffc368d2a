import { DEFAULT_TRACES_PER_MINUTE } from './traffic.ts'

export const DEFAULT_LLMLENS_URL = 'http://127.0.0.1:4380'
// A month of history is already more than any dashboard needs for a demo.
const HOURS_MAX = 24 * 31
const URL_PATTERN = /^https?:\/\/[^/]/

export interface DemoArgs {
  url: string
  apiKey: string | null
  hours: number
  /** Backfill rate in traces (application requests) per minute. */
  rate: number
  /** Live rate in traces per second. */
  liveRate: number
  once: boolean
  seed: number
  help: boolean
}

const DEFAULT_RATE = DEFAULT_TRACES_PER_MINUTE

export const DEMO_USAGE = `Usage: npm run demo -- [options]

Sends realistic multi-model traffic to a running llmlens server (start it with \`npm start\`).

  --url <url>         llmlens server (default $LLMLENS_URL, else ${DEFAULT_LLMLENS_URL})
  --hours <n>         hours of history to backfill (default 6)
  --rate <n>          backfill traces a minute, ~3 spans each (default ${DEFAULT_RATE})
  --live-rate <n>     live traces per second after the backfill (default 2)
  --once              exit after the backfill instead of streaming live traffic
  --seed <n>          seed of the simulated traffic (default: new each run, printed)
  --help              print this text

Environment: LLMLENS_URL, LLMLENS_API_KEY (sent as Authorization: Bearer).`

/** Flags win over the environment, the environment over defaults; bad values are reported. */
export function parseDemoArgs(
  argv: string[],
  env: Record<string, string | undefined>,
  defaultSeed: number,
): DemoArgs | string {
  const args: DemoArgs = {
    url: env.LLMLENS_URL || DEFAULT_LLMLENS_URL,
    apiKey: env.LLMLENS_API_KEY || null,
    hours: 6,
    rate: DEFAULT_TRACES_PER_MINUTE,
    liveRate: 2,
    once: false,
    seed: defaultSeed,
    help: false,
  }

  for (let index = 0; index < argv.length; index++) {
    const [flag = '', inline] = (argv[index] ?? '').split(/=(.*)/s, 2)
    if (flag === '--help' || flag === '-h') {
      args.help = true
      continue
    }
    if (flag === '--once') {
      args.once = true
      continue
    }
    const value = inline ?? argv[++index]
    if (value === undefined) return `${flag} needs a value`
    const problem = applyFlag(args, flag, value)
    if (problem !== null) return problem
  }
  if (!URL_PATTERN.test(args.url))
    return `LLMLENS_URL must be an http(s) URL (actual: "${args.url}")`
  return args
}

function applyFlag(args: DemoArgs, flag: string, value: string): string | null {
  const number = Number(value)
  switch (flag) {
    case '--url':
      if (!URL_PATTERN.test(value)) return `--url must be an http(s) URL (actual: "${value}")`
      args.url = value
      return null
    case '--hours':
      if (!(number > 0 && number <= HOURS_MAX)) {
        return `--hours must be a number in (0, ${HOURS_MAX}] (actual: "${value}")`
      }
      args.hours = number
      return null
    case '--rate':
      if (!(number > 0))
        return `--rate must be a number of traces per minute > 0 (actual: "${value}")`
      args.rate = number
      return null
    case '--live-rate':
      if (!(number > 0)) {
        return `--live-rate must be a number of traces per second > 0 (actual: "${value}")`
      }
      args.liveRate = number
      return null
    case '--seed':
      if (!Number.isInteger(number)) return `--seed must be an integer (actual: "${value}")`
      args.seed = number
      return null
    default:
      return `unknown option ${flag}`
  }
}
