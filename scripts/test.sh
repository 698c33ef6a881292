#!/usr/bin/env bash
# The whole test suite: unit and integration tests (PGlite + in-process, and real PostgreSQL +
# Redis with worker processes), then one production build, then end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

echo "== unit and integration tests"
node_modules/.bin/vitest run

echo "== production build"
# onnxruntime-web's wasm is served from public/ort/ (the browser preview), copied from the package
node scripts/copy-ort.mjs
node_modules/.bin/next build

echo "== end-to-end tests (Chromium)"
node_modules/.bin/vitest run --config vitest.e2e.config.ts
