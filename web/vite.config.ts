// Two clients in one build: the staff console (index.html, served at /) and the resident
// phone pages (h5/index.html, served at /h5/). Everything is bundled: no request to any
// host but the platform's at run time. `.vite/manifest.json` feeds scripts/budget.mjs.
import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig, type Plugin } from 'vite'

// Vant's icon font names a CDN copy after its bundled data: URI; a browser may fetch it
// (our CSP blocks it, and no request may leave the platform). Drop every remote source
// of a @font-face; scripts/budget.mjs fails the build if any remote URL is left in CSS.
function noRemoteFonts(): Plugin {
  const remote = /,\s*url\((["']?)(?:https?:)?\/\/[^)]*\1\)(\s*format\([^)]*\))?/g
  return {
    name: 'fazhi-no-remote-fonts',
    enforce: 'pre',
    transform(code, id) {
      if (!id.split('?')[0].endsWith('.css') || !code.includes('@font-face')) return null
      return { code: code.replace(remote, ''), map: null }
    },
  }
}

export default defineConfig({
  plugins: [vue(), noRemoteFonts()],
  base: '/',
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    // The chart library is one lazy chunk of the coverage page, outside the budgets below.
    chunkSizeWarningLimit: 600,
    target: 'es2020',
    // No inline <script> (the gateway's Content-Security-Policy forbids it) and no
    // inline data-URI scripts: every chunk is a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        console: fileURLToPath(new URL('./index.html', import.meta.url)),
        h5: fileURLToPath(new URL('./h5/index.html', import.meta.url)),
      },
    },
  },
  server: {
    // `npm run dev` talks to the platform `make run` started.
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.spec.ts'],
  },
})
