// A version's ONNX bytes in the browser: downloaded once from the registry (with progress) and
// kept in IndexedDB under the version's sha256, so opening the preview again costs no download.
// IndexedDB rather than Cache Storage: it works on plain-http origins too (a LAN install).
// Client-only.

const dbName = 'pipewright-model-preview'
const storeName = 'models'
/** the newest few models stay; older ones go, so trying many versions does not fill the disk */
const keepModels = 4

interface CachedModel {
  sha256: string
  bytes: ArrayBuffer
  savedAt: number
}

export type Progress = (text: string) => void

function openDb(): Promise<IDBDatabase | null> {
  if (typeof indexedDB === 'undefined') return Promise.resolve(null)
  return new Promise((resolve) => {
    const request = indexedDB.open(dbName, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(storeName, { keyPath: 'sha256' })
    request.onsuccess = () => resolve(request.result)
    // private windows may refuse storage: the preview still works, it just downloads each time
    request.onerror = () => resolve(null)
  })
}

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

async function readCached(sha256: string): Promise<ArrayBuffer | null> {
  const db = await openDb()
  if (!db) return null
  try {
    const found = (await requestResult(db.transaction(storeName).objectStore(storeName).get(sha256))) as CachedModel | undefined
    return found?.bytes ?? null
  } catch {
    return null
  } finally {
    db.close()
  }
}

async function saveCached(sha256: string, bytes: ArrayBuffer): Promise<void> {
  const db = await openDb()
  if (!db) return
  try {
    const store = db.transaction(storeName, 'readwrite').objectStore(storeName)
    const all = (await requestResult(store.getAll())) as CachedModel[]
    for (const old of all.sort((a, b) => b.savedAt - a.savedAt).slice(keepModels - 1)) store.delete(old.sha256)
    await requestResult(store.put({ sha256, bytes, savedAt: Date.now() } satisfies CachedModel))
  } catch {
    // a full disk or a refused quota: keep going without the cache
  } finally {
    db.close()
  }
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string | null> {
  // crypto.subtle exists only in secure contexts (https, localhost)
  if (typeof crypto === 'undefined' || !crypto.subtle) return null
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

export function formatMegabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

async function errorText(response: Response): Promise<string> {
  const body = await response.text().catch(() => '')
  try {
    const parsed = JSON.parse(body) as { error?: unknown }
    if (typeof parsed.error === 'string') return parsed.error
  } catch {
    // not JSON: the text itself
  }
  return body.slice(0, 300) || response.statusText
}

async function download(url: string, expectedBytes: number, progress: Progress): Promise<ArrayBuffer> {
  const response = await fetch(url, { credentials: 'same-origin' })
  if (!response.ok) throw new Error(`Downloading the model failed (${response.status}): ${await errorText(response)}`)
  const total = Number(response.headers.get('content-length')) || expectedBytes
  if (!response.body) return response.arrayBuffer()
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let received = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    received += value.length
    progress(`Downloading the model: ${formatMegabytes(received)} of ${formatMegabytes(total)} (${Math.min(100, Math.round((received / total) * 100))} %)`)
  }
  const bytes = new Uint8Array(received)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  return bytes.buffer
}

/** The model's bytes, from this browser's cache when it has them; checked against the sha256 before they are kept. */
export async function modelBytes(model: { contentUrl: string; sha256: string; sizeBytes: number }, progress: Progress): Promise<{ bytes: ArrayBuffer; cached: boolean }> {
  progress('Looking for the model in this browser’s cache…')
  const cached = await readCached(model.sha256)
  if (cached) return { bytes: cached, cached: true }
  const bytes = await download(model.contentUrl, model.sizeBytes, progress)
  const digest = await sha256Hex(bytes)
  if (digest !== null && digest !== model.sha256) throw new Error(`The downloaded model does not match the registry: sha256 ${digest.slice(0, 12)}… instead of ${model.sha256.slice(0, 12)}…. Reload to try again.`)
  await saveCached(model.sha256, bytes)
  return { bytes, cached: false }
}
