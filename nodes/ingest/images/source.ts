// Isomorphic: the `images` ingest source's config, imported by nodes/ingest/definition.ts.
import { z } from 'zod'
import { MAX_ARCHIVE_ENTRIES, MAX_UNPACKED_BYTES } from './limits'

const maxUnpackedMiB = MAX_UNPACKED_BYTES / 1024 ** 2

export const imagesSource = z
  .strictObject({
    type: z.literal('images').describe('A zip, tar or tar.gz archive of labelled images, uploaded to Pipewright'),
    artifactId: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be the sha256 of an uploaded archive (64 lowercase hex characters)')
      .describe('The uploaded archive (its sha256)'),
    maxEntries: z
      .int()
      .min(1)
      .max(MAX_ARCHIVE_ENTRIES)
      .default(MAX_ARCHIVE_ENTRIES)
      .describe(`Refuse an archive listing more entries than this (at most ${MAX_ARCHIVE_ENTRIES.toLocaleString('en-US')})`),
    maxUnpackedMiB: z
      .int()
      .min(1)
      .max(maxUnpackedMiB)
      .default(maxUnpackedMiB)
      .describe(`Refuse an archive whose files unpack to more MiB than this (at most ${maxUnpackedMiB.toLocaleString('en-US')}, i.e. 2 GiB)`),
  })
  .describe('Image archive')
export type ImagesSource = z.output<typeof imagesSource>
