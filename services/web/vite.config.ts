import { defineConfig } from 'vite';

// Preact's automatic JSX runtime through Vite's own transformer (Oxc): no plugin needed. Everything is
// bundled (no CDN), and the build emits no inline script so helmet's CSP (script-src 'self') accepts it.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, modulePreload: { polyfill: false } },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
