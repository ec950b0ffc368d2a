import type { Recorder } from '../recorder.ts'
import type { ObserveOptions } from '../types.ts'
import { type MethodRole, type MethodTable, methodTableFor } from './methods.ts'
import { observedCall } from './observed-call.ts'

type Method = (...args: unknown[]) => unknown

interface Scope {
  recorder: () => Recorder
  options: ObserveOptions
  table: MethodTable
  /** The observed client, which resources hand out as their `_client`. */
  root: object | null
}

/** Proxies made by `observe`, with what they wrap, so observing one again layers attributes. */
const observed = new WeakMap<object, { target: object; options: ObserveOptions }>()

function layer(outer: ObserveOptions, inner: ObserveOptions): ObserveOptions {
  return {
    ...outer,
    ...inner,
    tags: [...(outer.tags ?? []), ...(inner.tags ?? [])],
    metadata: { ...outer.metadata, ...inner.metadata },
  }
}

/**
 * The client, with its known model-call methods recorded and everything else passed through.
 * The result has the client's exact type: it is a Proxy, so `instanceof`, properties and
 * methods behave as on the client itself. Unknown clients are returned unchanged.
 */
export function observeClient<T extends object>(
  client: T,
  recorder: () => Recorder,
  options: ObserveOptions,
): T {
  const previous = observed.get(client)
  const target = (previous?.target ?? client) as T
  const scopeOptions = previous ? layer(previous.options, options) : options
  const table = methodTableFor(target)
  if (table === null) return client

  const scope: Scope = {
    recorder,
    options: { ...scopeOptions, provider: scopeOptions.provider ?? table.provider },
    table,
    root: null,
  }
  const proxy = proxyOf(target, '', scope)
  scope.root = proxy
  observed.set(proxy, { target, options: scopeOptions })
  return proxy
}

function methodFor(
  role: MethodRole,
  original: Method,
  target: object,
  self: object,
  scope: Scope,
): Method {
  if (role.role === 'call') {
    const shape = role.shape
    return function observedMethod(...args: unknown[]) {
      return observedCall(scope.recorder(), scope.options, shape, original, target, args)
    }
  }
  if (role.role === 'helper') return (...args: unknown[]) => Reflect.apply(original, self, args)
  return (...args: unknown[]) => {
    const made = Reflect.apply(original, target, args)
    if (typeof made !== 'object' || made === null) return made
    return observeClient(made, scope.recorder, scope.options)
  }
}

/**
 * A proxy of the client or of one of its resources. Property reads go to the real object (as
 * receiver too, so its private fields keep working); functions come back bound to it, and
 * results are cached per property so that `openai.chat.completions.create` costs three map
 * lookups after the first call.
 */
function proxyOf<T extends object>(target: T, path: string, scope: Scope): T {
  const cache = new Map<PropertyKey, { source: unknown; value: unknown }>()
  const isResource = path !== ''

  const proxy: T = new Proxy(target, {
    get(object, property) {
      // Helpers reach `create` through `this._client`; handing them the observed client makes
      // those requests recorded without recording the helper twice.
      if (isResource && property === '_client' && scope.root) return scope.root
      const value: unknown = Reflect.get(object, property, object)
      if (typeof value !== 'function' && (typeof value !== 'object' || value === null)) return value

      const cached = cache.get(property)
      if (cached !== undefined && cached.source === value) return cached.value
      const childPath =
        typeof property === 'string' ? (path ? `${path}.${property}` : property) : ''
      const role = childPath ? scope.table.methods[childPath] : undefined
      let out: unknown = value
      if (isFrozenProperty(object, property)) {
        // A Proxy must report a non-configurable, read-only property exactly as it is.
      } else if (typeof value === 'function') {
        out = role ? methodFor(role, value as Method, object, proxy, scope) : value.bind(object)
      } else if (scope.table.resources.has(childPath)) {
        out = proxyOf(value as object, childPath, scope)
      }
      cache.set(property, { source: value, value: out })
      return out
    },
  })
  return proxy
}

function isFrozenProperty(object: object, property: PropertyKey): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(object, property)
  return descriptor !== undefined && !descriptor.configurable && descriptor.writable === false
}
