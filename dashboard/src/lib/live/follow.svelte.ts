import { untrack } from 'svelte'
import type { ViewQuery } from '../state/view-query.ts'
import { REFRESH_DEFAULTS, Refresher, type RefresherOptions } from './refresher.ts'
import { type LiveBatch, live } from './stream.svelte.ts'

export interface FollowOptions {
  /** The view to show. */
  view: () => ViewQuery
  /**
   * What decides that a re-read is needed; the view itself by default. Pages with their own
   * URL parameters (a search, a sort) add them.
   */
  key?: () => string
  /** Reads everything the page shows for a view. */
  read: (view: ViewQuery) => Promise<unknown>
  /**
   * Applies a live batch to what is on screen; returns true when it changed something that
   * only a re-read can bring fully up to date (a percentile, a sort order).
   */
  apply: (batch: LiveBatch, view: ViewQuery) => boolean
  refresh?: RefresherOptions
}

/**
 * Keeps a page in step with its view: reads it on every navigation and, while the view is
 * live, applies each batch from the tab's stream and re-reads on the Refresher's schedule.
 * Call it while a component initialises.
 */
export function followView(options: FollowOptions): void {
  const refresher = new Refresher(
    () => options.read(untrack(options.view)),
    options.refresh ?? REFRESH_DEFAULTS,
  )

  const key = $derived(options.key?.() ?? JSON.stringify(options.view()))

  $effect(() => {
    void key
    const view = untrack(options.view)
    let active = true
    untrack(() => {
      const startedMs = performance.now()
      void options.read(view).then(() => {
        if (active && view.live) refresher.start(performance.now() - startedMs)
      })
    })
    const unsubscribe = view.live
      ? live.subscribe((batch) => {
          const stale = options.apply(batch, view)
          if (stale || batch.reconnected) refresher.markDirty()
        })
      : () => {}
    return () => {
      active = false
      unsubscribe()
      refresher.stop()
    }
  })
}
