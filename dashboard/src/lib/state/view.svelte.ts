import { goto } from '$app/navigation'
import { page } from '$app/state'
import { parseView, type ViewQuery, writeView } from './view-query.ts'

/** The view the current URL describes. Read it inside $derived to follow navigation. */
export function currentView(): ViewQuery {
  return parseView(page.url.searchParams)
}

/** Navigates to the same page showing `view`; `edit` adjusts page-specific parameters. */
export function showView(view: ViewQuery, edit?: (params: URLSearchParams) => void): void {
  const params = writeView(view, page.url.searchParams)
  edit?.(params)
  void goto(urlOf(page.url.pathname, params), { keepFocus: true, noScroll: true })
}

/** Navigates to the same page and view with page-specific parameters changed. */
export function editParams(edit: (params: URLSearchParams) => void, replace = false): void {
  const params = new URLSearchParams(page.url.searchParams)
  edit(params)
  void goto(urlOf(page.url.pathname, params), {
    keepFocus: true,
    noScroll: true,
    replaceState: replace,
  })
}

/** A link to another page that keeps the current time range and filters. */
export function hrefKeepingView(pathname: string, view: ViewQuery): string {
  return urlOf(pathname, writeView(view, new URLSearchParams()))
}

function urlOf(pathname: string, params: URLSearchParams): string {
  const query = params.toString()
  return query === '' ? pathname : `${pathname}?${query}`
}
