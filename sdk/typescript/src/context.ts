/**
 * Carries the active span (or the exporter's "do not trace me" mark) through a call tree.
 * Where AsyncLocalStorage exists (Node, Bun, Deno, workerd, Vercel edge) it follows every await;
 * elsewhere a stack covers the synchronous part of a callback, and `parent` options do the rest.
 */
export interface ContextManager<T> {
  active(): T | undefined
  run<R>(value: T, fn: () => R): R
  /** `async-local-storage` or `stack`, for tests and `stats`. */
  readonly mechanism: 'async-local-storage' | 'stack'
}

interface AsyncLocalStorageLike<T> {
  getStore(): T | undefined
  run<R>(store: T, fn: () => R): R
}
type AsyncLocalStorageConstructor = new <T>() => AsyncLocalStorageLike<T>

interface RuntimeGlobals {
  AsyncLocalStorage?: AsyncLocalStorageConstructor
  process?: {
    versions?: { node?: string }
    getBuiltinModule?(id: string): { AsyncLocalStorage?: AsyncLocalStorageConstructor } | undefined
  }
}

/** AsyncLocalStorage without importing `node:async_hooks`, so browsers still load the module. */
function findAsyncLocalStorage(): AsyncLocalStorageConstructor | undefined {
  const runtime = globalThis as RuntimeGlobals
  if (typeof runtime.AsyncLocalStorage === 'function') return runtime.AsyncLocalStorage
  try {
    return runtime.process?.getBuiltinModule?.('node:async_hooks')?.AsyncLocalStorage
  } catch {
    return undefined
  }
}

/** The fallback: the value is active while `fn` runs synchronously, and only then. */
export function stackContext<T>(): ContextManager<T> {
  let current: T | undefined
  return {
    mechanism: 'stack',
    active: () => current,
    run<R>(value: T, fn: () => R): R {
      const previous = current
      current = value
      try {
        return fn()
      } finally {
        current = previous
      }
    },
  }
}

function storageContext<T>(Storage: AsyncLocalStorageConstructor): ContextManager<T> {
  const storage = new Storage<T>()
  return {
    mechanism: 'async-local-storage',
    active: () => storage.getStore(),
    run: (value, fn) => storage.run(value, fn),
  }
}

/**
 * The best context manager this runtime offers. Node 18 and early Node 20 lack
 * `process.getBuiltinModule`; there the module is imported asynchronously and the manager
 * switches to it a few microtasks after start, before any realistic first call returns.
 */
export function createContext<T>(): ContextManager<T> {
  const Storage = findAsyncLocalStorage()
  if (Storage) return storageContext<T>(Storage)

  let inner = stackContext<T>()
  const manager: ContextManager<T> = {
    get mechanism() {
      return inner.mechanism
    },
    active: () => inner.active(),
    run: (value, fn) => inner.run(value, fn),
  }
  const runtime = globalThis as RuntimeGlobals
  if (typeof runtime.process?.versions?.node === 'string') {
    // A variable specifier keeps bundlers for the browser from trying to resolve a Node module.
    const specifier = 'node:async_hooks'
    import(/* webpackIgnore: true */ /* @vite-ignore */ specifier).then(
      (module: { AsyncLocalStorage?: AsyncLocalStorageConstructor }) => {
        if (module.AsyncLocalStorage) inner = storageContext<T>(module.AsyncLocalStorage)
      },
      () => undefined,
    )
  }
  return manager
}
