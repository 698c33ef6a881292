/** @type {import('next').NextConfig} */
const nextConfig = {
  // native or WASM packages: loaded by Node at run time, never bundled
  serverExternalPackages: [
    '@electric-sql/pglite',
    '@duckdb/node-api',
    '@duckdb/node-bindings',
    'onnxruntime-node',
    '@tensorflow/tfjs',
    '@tensorflow/tfjs-backend-wasm',
    'bullmq',
    'ioredis',
    'postgres',
    'pino',
    'sharp',
  ],
  typedRoutes: false,
  // no `X-Powered-By: Next.js`: it tells an attacker what to try
  poweredByHeader: false,
  // forbidden() from next/navigation: a role that may not open a page gets app/forbidden.tsx with status 403
  experimental: { authInterrupts: true },
  devIndicators: false,
}

export default nextConfig
