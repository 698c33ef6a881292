import { z } from 'zod'
import { defineNode } from '../contract'
import { cameraSource } from './camera/definition'
import { imagesSource } from './images/source'

export const fileFormats = ['csv', 'tsv', 'parquet', 'json', 'ndjson'] as const
export type FileFormat = (typeof fileFormats)[number]

/** Data sets shipped in nodes/ingest/samples/, offered by the UI as ready-made sources. */
export const sampleDatasets = [
  {
    name: 'penguins',
    title: 'Palmer penguins (synthetic)',
    description:
      '320 penguins from three islands: species, island, bill and flipper measurements, body mass, sex and year. ' +
      'A few values are missing and a handful of rows are deliberately wrong (impossible bill lengths, a misspelt ' +
      'species) for a validate step to catch.',
    filename: 'penguins.csv',
  },
  {
    name: 'sensor-readings',
    title: 'Sensor readings',
    description:
      '200 readings from six devices with awkward column names ("temp [°C]", "Device ID", "reading (raw)"), ' +
      'missing values and a column that mixes numbers with error codes.',
    filename: 'sensor-readings.csv',
  },
] as const satisfies readonly { name: string; title: string; description: string; filename: string }[]

export type SampleName = (typeof sampleDatasets)[number]['name']
const sampleNames = sampleDatasets.map((s) => s.name) as [SampleName, ...SampleName[]]

const format = z
  .enum(fileFormats)
  .optional()
  .describe('File format; inferred from the file name (or the download\'s Content-Type) when left empty')

export const ingestSource = z.discriminatedUnion('type', [
  z
    .strictObject({
      type: z.literal('upload').describe('A file uploaded to Pipewright'),
      artifactId: z
        .string()
        .regex(/^[0-9a-f]{64}$/, 'must be the sha256 of an uploaded file (64 lowercase hex characters)')
        .describe('The uploaded file (its sha256)'),
      format,
    })
    .describe('Uploaded file'),
  z
    .strictObject({
      type: z.literal('url').describe('A file downloaded over HTTP(S) each time the step runs'),
      url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' }).describe('Address to download'),
      format,
    })
    .describe('Web address'),
  z
    .strictObject({
      type: z.literal('sample').describe('A data set shipped with Pipewright'),
      name: z.enum(sampleNames).describe('Which sample data set'),
    })
    .describe('Sample data set'),
  cameraSource,
  imagesSource,
])
export type IngestSource = z.infer<typeof ingestSource>

/** What spreadsheets, R and pandas write for a missing value. */
export const defaultNullValues = ['', 'NA', 'N/A', 'n/a', 'NULL', 'null', 'NaN', 'nan', '#N/A']

export const ingestConfig = z.strictObject({
  source: ingestSource.describe('Where the data comes from'),
  nullValues: z
    .array(z.string().max(100))
    .max(100)
    .default(defaultNullValues)
    .describe('CSV/TSV cells read as missing (null); the default covers what spreadsheets, R and pandas write. Empty the list to keep every cell as it is'),
  badRows: z
    .enum(['fail', 'skip'])
    .default('fail')
    .describe(
      "What to do with rows that cannot be read (wrong number of fields, invalid UTF-8, broken JSON lines): 'fail' stops the step and names them, 'skip' drops them with a warning",
    ),
})
export type IngestConfig = z.output<typeof ingestConfig>

export const ingest = defineNode({
  kind: 'ingest',
  // 2: a `quarantine` output (unreadable images; empty for table sources) and the `images` source
  version: 2,
  ports: { in: {}, out: { dataset: 'dataset', quarantine: 'dataset' } },
  config: ingestConfig,
  ui: {
    title: 'Ingest',
    category: 'data',
    icon: 'file-input',
    aliases: ['load', 'import', 'read', 'csv', 'parquet', 'json', 'upload', 'download', 'source', 'images', 'zip', 'tar', 'archive'],
    description:
      'Reads a CSV, TSV, Parquet, JSON or NDJSON file (uploaded, downloaded from a URL, or a shipped sample) into a dataset, ' +
      'or an archive of labelled images into an image dataset; what cannot be read goes to quarantine.',
  },
  retry: { attempts: 2, backoffMs: 1000 },
})
