// A real `npm run serve` process (node --import tsx server/serving/serve-main.ts, the script's command,
// without npm's wrapper process so signals and exit codes are the server's own) on a free port.
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'

export type ServeProcess = ChildProcess & { url: string; ready: Promise<void>; output(): string; stop(): Promise<number | null> }

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/** `nodeArgs`: extra node flags, e.g. `--cpu-prof` to profile the server */
export async function startServeProcess(env: Record<string, string>, nodeArgs: string[] = []): Promise<ServeProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/serving/serve-main.ts'], {
    // info at least: readiness is read from the "serve ready" line
    env: { ...process.env, ...env, LOG_LEVEL: 'info', PIPEWRIGHT_SERVE_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ServeProcess
  let output = ''
  child.url = `http://127.0.0.1:${port}`
  child.output = () => output
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  child.ready = new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('serve ready')) resolve()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    void exited.then((code) => reject(new Error(`serve exited with ${code} before it was ready:\n${output}`)))
  })
  /** SIGTERM, then the exit code (SIGKILL after 15 s: null) */
  child.stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    const code = await exited
    clearTimeout(timer)
    return code
  }
  return child
}
