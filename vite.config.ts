import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web UI: React without a plugin (esbuild's automatic JSX runtime is enough), built into dist/web, which
// `gatehouse serve` serves. No inline scripts are emitted, so the server's CSP can forbid them.
export default defineConfig({
  root: fileURLToPath(new URL('./src/web/app', import.meta.url)),
  base: '/',
  publicDir: 'public',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
