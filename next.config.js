/** @type {import('next').NextConfig} */
const nextConfig = {
  // native or WASM packages: loaded by Node at run time, never bundled
  serverExternalPackages: [
    '@electric-sql/pglite',
    '@duckdb/node-api',
    '@duckdb/node-bindings',
    'onnxruntime-node',
    'bullmq',
    'ioredis',
    'postgres',
    'pino',
  ],
  typedRoutes: false,
  // no `X-Powered-By: Next.js`: it tells an attacker what to try
  poweredByHeader: false,
  devIndicators: false,
}

export default nextConfig
