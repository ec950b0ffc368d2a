import adapter from '@sveltejs/adapter-static'
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte'

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // A single-page app: every client route falls back to index.html, which the server serves.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    // Absolute asset paths, so /traces/abc loads /_app/... and not /traces/_app/...
    paths: { relative: false },
    version: { pollInterval: 0 },
  },
}
