import { spans } from './endpoints.ts'

// Far enough ahead to include spans from a client whose clock runs fast.
const FUTURE_MS = 366 * 86_400_000

/** Whether the server holds no spans at all, as opposed to none in the current range. */
export async function storeIsEmpty(signal?: AbortSignal): Promise<boolean> {
  const params = new URLSearchParams({
    from: '0',
    to: String(Date.now() + FUTURE_MS),
    limit: '1',
  })
  const page = await spans(params, signal)
  return page.items.length === 0
}
