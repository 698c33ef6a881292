import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

const artifactIdPattern = /^[0-9a-f]{64}$/

/** Only a sha256 in lower-case hex is an artifact id; anything else never reaches the filesystem. */
export function isArtifactId(value: string): boolean {
  return artifactIdPattern.test(value)
}

export class UploadTooLargeError extends Error {
  override name = 'UploadTooLargeError'
  constructor(readonly limitBytes: number) {
    super(`The file is larger than the upload limit of ${limitBytes} bytes (PIPEWRIGHT_MAX_UPLOAD_BYTES).`)
  }
}

export interface StoredBlob {
  id: string
  sizeBytes: number
}

/**
 * Where artifacts' bytes live, content-addressed by sha256. Metadata rows are db/'s; this is
 * only bytes. The local folder is the embedded default; an S3-compatible bucket implements the
 * same interface later (its `localPath` downloads into a cache).
 */
export interface ArtifactStore {
  has(id: string): Promise<boolean>
  /** a file on local disk holding the bytes, for readers that need a path (DuckDB, sharp); never write to it */
  localPath(id: string): Promise<string>
  /** move a finished file into the store under its sha256; the source file is consumed */
  putFile(sourcePath: string): Promise<StoredBlob>
  putBytes(bytes: Uint8Array | string): Promise<StoredBlob>
  /** stream into the store, hashing on the way; over `maxBytes` it stops and nothing is kept */
  putStream(source: Readable, maxBytes: number): Promise<StoredBlob>
  /** a fresh local folder for a step's scratch, on the filesystem `putFile` renames from */
  makeScratchDir(label: string): string
  /** remove scratch folders whose names start with `prefix`: an earlier, dead attempt's leftovers */
  removeScratch(prefix: string): number
  /** scratch left by a process that died mid-step; safe once no step of this store is running */
  removeScratchOlderThan(ms: number): void
}

/**
 * Content-addressed blobs on local disk: `<root>/blobs/ab/cdef…`. A blob appears under its
 * name only by an atomic rename of a complete file, so readers never see half a blob.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly blobsDir: string
  readonly tmpDir: string

  constructor(readonly root: string) {
    this.blobsDir = path.join(root, 'blobs')
    this.tmpDir = path.join(root, 'tmp')
    fs.mkdirSync(this.blobsDir, { recursive: true })
    fs.mkdirSync(this.tmpDir, { recursive: true })
  }

  private pathOf(id: string): string {
    if (!isArtifactId(id)) throw new Error(`Not an artifact id: ${JSON.stringify(id.slice(0, 80))}`)
    return path.join(this.blobsDir, id.slice(0, 2), id.slice(2))
  }

  async has(id: string): Promise<boolean> {
    return isArtifactId(id) && fs.existsSync(this.pathOf(id))
  }

  async localPath(id: string): Promise<string> {
    return this.pathOf(id)
  }

  makeScratchDir(label: string): string {
    const dir = path.join(this.tmpDir, `${label}-${randomUUID()}`)
    fs.mkdirSync(dir, { recursive: true })
    return dir
  }

  async putFile(sourcePath: string): Promise<StoredBlob> {
    const hash = createHash('sha256')
    await pipeline(fs.createReadStream(sourcePath), hash)
    const id = hash.digest('hex')
    const sizeBytes = fs.statSync(sourcePath).size
    this.settle(sourcePath, id)
    return { id, sizeBytes }
  }

  async putBytes(bytes: Uint8Array | string): Promise<StoredBlob> {
    const tmp = path.join(this.tmpDir, `bytes-${randomUUID()}`)
    fs.writeFileSync(tmp, bytes)
    return this.putFile(tmp)
  }

  async putStream(source: Readable, maxBytes: number): Promise<StoredBlob> {
    const tmp = path.join(this.tmpDir, `upload-${randomUUID()}`)
    const hash = createHash('sha256')
    let sizeBytes = 0
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sizeBytes += chunk.length
        if (sizeBytes > maxBytes) return callback(new UploadTooLargeError(maxBytes))
        hash.update(chunk)
        callback(null, chunk)
      },
    })
    try {
      await pipeline(source, meter, fs.createWriteStream(tmp))
    } catch (error) {
      fs.rmSync(tmp, { force: true })
      throw error
    }
    const id = hash.digest('hex')
    this.settle(tmp, id)
    return { id, sizeBytes }
  }

  private settle(tmpPath: string, id: string): void {
    const target = this.pathOf(id)
    if (fs.existsSync(target)) {
      fs.rmSync(tmpPath, { force: true })
      return
    }
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.renameSync(tmpPath, target)
  }

  removeScratch(prefix: string): number {
    let removed = 0
    for (const name of fs.readdirSync(this.tmpDir)) {
      if (!name.startsWith(prefix)) continue
      fs.rmSync(path.join(this.tmpDir, name), { recursive: true, force: true })
      removed += 1
    }
    return removed
  }

  removeScratchOlderThan(ms: number): void {
    const now = Date.now()
    for (const name of fs.readdirSync(this.tmpDir)) {
      const full = path.join(this.tmpDir, name)
      if (now - fs.statSync(full).mtimeMs > ms) fs.rmSync(full, { recursive: true, force: true })
    }
  }
}
