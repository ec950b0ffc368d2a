import { describeError } from '../api/client.ts'

/**
 * One value read from the API: the latest good value, the latest error, and whether a read is
 * under way. A new read aborts the one before, so a slow stale answer never overwrites a new one.
 */
export class Resource<T> {
  value = $state.raw<T | null>(null)
  error = $state<string | null>(null)
  loading = $state(false)
  private controller: AbortController | null = null

  async load(read: (signal: AbortSignal) => Promise<T>): Promise<T | null> {
    this.controller?.abort()
    const controller = new AbortController()
    this.controller = controller
    this.loading = true
    try {
      const value = await read(controller.signal)
      if (controller.signal.aborted) return null
      this.value = value
      this.error = null
      return value
    } catch (error) {
      if (controller.signal.aborted) return null
      this.error = describeError(error)
      return null
    } finally {
      if (this.controller === controller) this.loading = false
    }
  }

  /** Replaces the value, as a live update does between reads. */
  set(value: T): void {
    this.value = value
  }

  abort(): void {
    this.controller?.abort()
    this.loading = false
  }
}
