import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

async function run(command: string[]): Promise<string> {
  const child = Bun.spawn(command, { cwd: REPO_ROOT, stdout: 'pipe', stderr: 'inherit' })
  const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited])
  if (code !== 0) throw new Error(`${command.join(' ')} exited with ${code}:\n${out}`)
  return out
}

/**
 * The Python SDK's overhead benchmark (bench/python/overhead.py) in the SDK's own virtual
 * environment, made first if missing; returns the table it prints.
 */
export async function runPythonOverhead(pairs: number): Promise<string> {
  await run(['bash', 'sdk/python/scripts/venv.sh'])
  const python = join(REPO_ROOT, 'sdk', 'python', '.venv', 'bin', 'python')
  const out = await run([python, 'bench/python/overhead.py', '--pairs', String(pairs)])
  return out.trim()
}
