import { defineConfig } from 'tsup'

// ESM + .d.ts for each public entry; every peer stays external so the app bundles one copy.
export default defineConfig({
  entry: { index: 'src/index.ts', axios: 'src/axios.ts', react: 'src/react.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['react', 'zustand', 'immer', 'axios', 'jwt-decode'],
})
