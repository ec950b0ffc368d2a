// The dashboard is a single-page app over the query API: nothing is rendered on a server or
// prerendered, so the one index.html serves every route.
export const ssr = false
export const prerender = false
