export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, string | number | boolean | null | undefined>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 }

function value(v: string | number | boolean | null): string {
  const text = String(v)
  return /^[\w.:/@+-]+$/.test(text) ? text : JSON.stringify(text)
}

/** One logfmt line per event (`time=… level=… msg=… key=value`), written by `write`. */
export function createLogger(
  options: { level?: LogLevel; write?: (line: string) => void } = {},
): Logger {
  const minimum = RANK[options.level ?? 'info']
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`))
  const emit =
    (level: LogLevel) =>
    (msg: string, fields: LogFields = {}) => {
      if (RANK[level] < minimum) return
      let line = `time=${new Date().toISOString()} level=${level} msg=${value(msg)}`
      for (const [key, v] of Object.entries(fields))
        if (v !== undefined) line += ` ${key}=${value(v)}`
      write(line)
    }
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') }
}

/** A logger that keeps its lines, for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return { ...createLogger({ level: 'debug', write: (line) => lines.push(line) }), lines }
}
