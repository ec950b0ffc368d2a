import { sveltekit } from '@sveltejs/kit/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [sveltekit()],
  build: {
    // Small images and fonts as data: URLs would need img-src data: in the CSP; keep them files.
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev -w dashboard` next to `npm start`: the API (and its stream) from the server.
    proxy: { '/api': process.env.LLMLENS_URL ?? 'http://127.0.0.1:4380' },
  },
})
