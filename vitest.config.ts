import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.next/**', 'test/e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // integration suites share one PostgreSQL database and one Redis; keep files apart
    fileParallelism: false,
  },
})
