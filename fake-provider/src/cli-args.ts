import { DEFAULT_HOST, DEFAULT_PORT } from './index.ts'

export interface CliArgs {
  port: number
  host: string
  latency: 'none' | 'realistic'
  seed: number
  help: boolean
}

export const USAGE = `Usage: bun fake-provider/src/main.ts [options]

  --port <n>                    port to listen on; 0 picks a free one (default ${DEFAULT_PORT})
  --host <addr>                 address to bind (default ${DEFAULT_HOST}, loopback only)
  --latency <realistic|none>    realistic delays for built-in models, or none (default none)
  --seed <n>                    seed of every random draw (default 1)
  --help                        print this text`

/** Parses the command line; a bad flag is an error message naming the flag and the value. */
export function parseCliArgs(argv: string[]): CliArgs | string {
  const args: CliArgs = {
    port: DEFAULT_PORT,
    host: DEFAULT_HOST,
    latency: 'none',
    seed: 1,
    help: false,
  }

  for (let index = 0; index < argv.length; index++) {
    const [flag = '', inline] = (argv[index] ?? '').split(/=(.*)/s, 2)
    if (flag === '--help' || flag === '-h') {
      args.help = true
      continue
    }
    const value = inline ?? argv[++index]
    if (value === undefined) return `${flag} needs a value`

    if (flag === '--port') {
      const port = Number(value)
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        return `--port must be an integer in 0..65535 (actual: "${value}")`
      }
      args.port = port
    } else if (flag === '--host') {
      args.host = value
    } else if (flag === '--latency') {
      if (value !== 'none' && value !== 'realistic') {
        return `--latency must be "realistic" or "none" (actual: "${value}")`
      }
      args.latency = value
    } else if (flag === '--seed') {
      const seed = Number(value)
      if (!Number.isInteger(seed)) return `--seed must be an integer (actual: "${value}")`
      args.seed = seed
    } else {
      return `unknown option ${flag}`
    }
  }
  return args
}
