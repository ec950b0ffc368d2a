import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The monorepo root, found from this file whether it runs as source (Bun) or built (Node). */
export const REPO_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'server', 'src', 'main.ts'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('cannot find the llmlens repository root above this file')
    dir = parent
  }
  return dir
})()

const BUN = join(REPO_ROOT, 'node_modules', '.bin', 'bun')

export interface RunningProcess {
  url: string
  child: ChildProcess
  stop(): Promise<void>
}

/** Spawns a Bun program and waits for the line that names its URL. */
function startProgram(
  args: string[],
  stream: 'stdout' | 'stderr',
  pattern: RegExp,
  env: Record<string, string> = {},
): Promise<RunningProcess> {
  const child = spawn(BUN, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString('utf8')
      const match = pattern.exec(log)
      if (match) {
        child[stream]?.off('data', onData)
        child[stream]?.resume()
        resolve({ url: match[1] as string, child, stop: () => stopChild(child) })
      }
    }
    child[stream]?.on('data', onData)
    const other = stream === 'stdout' ? child.stderr : child.stdout
    other?.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8')
    })
    child.once('exit', (code) =>
      reject(new Error(`${args[0]} exited (${code}) before starting:\n${log}`)),
    )
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** The real llmlens server on a free port with a fresh SQLite file. */
export async function startServer(): Promise<RunningProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'llmlens-sdk-'))
  const server = await startProgram(
    ['server/src/main.ts', '--port', '0'],
    'stderr',
    /msg="llmlens started" url=(\S+)/,
    { LLMLENS_DB: join(dir, 'llmlens.db') },
  )
  return {
    ...server,
    stop: async () => {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The project's fake OpenAI/Anthropic API on a free port. */
export function startFakeProvider(): Promise<RunningProcess> {
  return startProgram(
    ['fake-provider/src/main.ts', '--port', '0'],
    'stdout',
    /fake-provider listening on (\S+)/,
  )
}
