import { join } from 'node:path'
import { REPO_ROOT, runChild } from './child.ts'

/**
 * The Python SDK's overhead benchmark (bench/python/overhead.py) in the SDK's own virtual
 * environment, made first if missing; returns the table it prints.
 */
export async function runPythonOverhead(pairs: number): Promise<string> {
  await runChild(['bash', 'sdk/python/scripts/venv.sh'])
  const python = join(REPO_ROOT, 'sdk', 'python', '.venv', 'bin', 'python')
  const out = await runChild([python, 'bench/python/overhead.py', '--pairs', String(pairs)])
  return out.trim()
}
