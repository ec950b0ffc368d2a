import { sveltekit } from '@sveltejs/kit/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [sveltekit()],
  build: {
    // Small images and fonts as data: URLs would need img-src data: in the CSP; keep them files.
    assetsInlineLimit: 0,
  },
})
