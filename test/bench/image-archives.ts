// Image archive ingest: images/s for 1,000 JPEGs of 256×256 in a zip and in a tar.gz, read by the
// real ingest executor (unpack, check every pixel, keep blobs, write the dataset), beside sharp
// alone decoding the same images (header and pixels, as the check does) in the same run.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import sharp from 'sharp'
import { createTestContext } from '@/nodes/_lib/test-context'
import { ingest, ingestConfig } from '@/nodes/ingest/definition'
import { tarGzOf, zipOf } from '@/nodes/ingest/images/fixtures'
import { run } from '@/nodes/ingest/run'

const count = 1000
const size = 256

async function photos(): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {}
  const raw = Buffer.alloc(size * size * 3)
  for (let i = 0; i < count; i++) {
    // a texture per image, so JPEG has real work and no two images are the same blob
    for (let j = 0; j < raw.length; j++) raw[j] = (j * 7 + (j >> 9) * 13 + i * 31) & 255
    files[`class-${i % 4}/${i}.jpg`] = await sharp(raw, { raw: { width: size, height: size, channels: 3 } }).jpeg().toBuffer()
  }
  return files
}

async function ingestSeconds(dir: string, name: string, archive: Buffer): Promise<number> {
  const path = join(dir, name)
  await writeFile(path, archive)
  const t = await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })
  try {
    const artifactId = await t.addArtifact(path, name)
    t.ctx.config = ingestConfig.parse({ source: { type: 'images', artifactId } })
    const started = performance.now()
    await run(t.ctx)
    return (performance.now() - started) / 1000
  } finally {
    await t.cleanup()
  }
}

async function sharpSeconds(files: Record<string, Buffer>): Promise<number> {
  const started = performance.now()
  for (const bytes of Object.values(files)) {
    await sharp(bytes).metadata()
    await sharp(bytes, { failOn: 'truncated' }).raw().toBuffer()
  }
  return (performance.now() - started) / 1000
}

export async function benchImageArchives(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-archives-'))
  try {
    const files = await photos()
    const zip = zipOf(files)
    const tgz = await tarGzOf(files)
    await ingestSeconds(dir, 'warm-up.zip', zipOf(Object.fromEntries(Object.entries(files).slice(0, 20))))
    const rate = (seconds: number) => `${Math.round(count / seconds).toLocaleString('en-US')} images/s`
    const zipSeconds = await ingestSeconds(dir, 'photos.zip', zip)
    const tgzSeconds = await ingestSeconds(dir, 'photos.tar.gz', tgz)
    const reference = await sharpSeconds(files)
    return [
      `Image archive ingest (${count} JPEGs of ${size}×${size}, ${(zip.length / 1e6).toFixed(1)} MB)`,
      `  pipewright, zip:     ${rate(zipSeconds)} (${(reference / zipSeconds).toFixed(2)}× sharp alone)`,
      `  pipewright, tar.gz:  ${rate(tgzSeconds)} (${(reference / tgzSeconds).toFixed(2)}× sharp alone)`,
      `  reference, sharp decoding the same images one by one: ${rate(reference)}`,
    ].join('\n')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
