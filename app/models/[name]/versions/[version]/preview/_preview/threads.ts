// How many wasm threads the preview asks onnxruntime-web for, and how the page says so. Threads
// need SharedArrayBuffer, which only a cross-origin isolated page has (the preview is served with
// COOP + COEP; a plain-HTTP address other than localhost is no secure context, so not isolated). Pure.

/** onnxruntime-web's own ceiling: past 4 threads its wasm kernels gain little and the page loses cores */
const maxThreads = 4

export interface ThreadMode {
  /** the threads onnxruntime-web runs with (it drops to 1 itself when threads cannot work) */
  threads: number
  /** `crossOriginIsolated` of the page */
  isolated: boolean
  /** `navigator.hardwareConcurrency` */
  cores: number
}

export function wantedThreads(isolated: boolean, cores: number | undefined): number {
  if (!isolated) return 1
  return Math.max(1, Math.min(maxThreads, Math.floor(cores || 1)))
}

/** "wasm · 2 threads", or why there is only one, so a slow preview explains itself. */
export function threadModeText({ threads, isolated, cores }: ThreadMode): string {
  if (threads > 1) return `wasm · ${threads} threads`
  if (!isolated) return 'wasm · 1 thread (page not cross-origin isolated)'
  if (cores <= 1) return 'wasm · 1 thread (this device reports one core)'
  return 'wasm · 1 thread (this browser cannot run wasm threads)'
}
