// The `images` ingest source: an uploaded archive of labelled images → an image dataset (each
// image kept as a blob, as uploaded) and a quarantine of what could not be used, with why.
import { StepError, type StepContext } from '../../contract'
import { writeImageDataset, type ImageRow } from '../../_lib/image-dataset'
import { writeQuarantine, type QuarantineRow } from '../quarantine'
import { listArchive, type ListedFile } from './archive'
import { UnpackBudget, type ArchiveReader, type EntryContent } from './archive-types'
import { checkImage } from './check-image'
import { boxProblems, csvLabelling, findLabelsCsv, folderLabelling, type Labelling } from './labels'
import type { ImagesSource } from './source'

/** Images decoded at once while the archive is unpacked further (sharp spreads each over its own threads too). */
const CHECKS_IN_FLIGHT = 4

/** What the images source needs of the ingest step's context. */
export type ImagesContext = Pick<StepContext<unknown, never, never>, 'log' | 'progress' | 'signal' | 'resolveArtifact' | 'workDir'> & {
  outputs: { blob(bytes: Uint8Array, mediaType: string): Promise<string> }
}

export interface ImagesOutcome {
  rows: ImageRow[]
  quarantine: QuarantineRow[]
}

export async function readImageArchive(ctx: ImagesContext, source: ImagesSource): Promise<{ outcome: ImagesOutcome; displayName: string }> {
  const artifact = await ctx.resolveArtifact(source.artifactId).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error)
    throw new StepError(`The uploaded archive ${source.artifactId.slice(0, 12)}… could not be found: ${reason}`)
  })
  const displayName = artifact.filename ? `"${artifact.filename}"` : `upload ${source.artifactId.slice(0, 12)}…`
  const limits = { maxEntries: source.maxEntries, maxUnpackedBytes: source.maxUnpackedMiB * 1024 ** 2 }

  ctx.progress(0.02, 'Checking the archive')
  const listing = await listArchive(artifact.path, displayName, limits)
  const { reader, files, ignored } = listing
  ctx.log(
    'info',
    `${displayName} is a ${reader.format} archive with ${files.length} ${files.length === 1 ? 'file' : 'files'}` +
      (ignored.hidden > 0 ? `; ${ignored.hidden} hidden or macOS metadata ${ignored.hidden === 1 ? 'file' : 'files'} ignored` : '') +
      (ignored.links > 0 ? `; ${ignored.links} ${ignored.links === 1 ? 'link or device entry' : 'link or device entries'} ignored` : ''),
  )

  const budget = new UnpackBudget(limits.maxUnpackedBytes, ctx.signal)
  const labelling = await chooseLabelling(files, reader, budget)
  ctx.log('info', labelling.layout === 'labels.csv' ? `Labels come from ${labelling.csv!.path}` : 'Labels come from the folder each image is in')

  const byName = new Map(files.filter((f) => f !== labelling.csv).map((f) => [f.entry.name, f]))
  const { rows, quarantine } = await checkEntries(ctx, reader, byName, labelling, budget)
  const present = new Set([...byName.values()].map((f) => f.path))
  quarantine.push(...labelling.problems(present).map((p) => ({ file: p.file, _reasons: p.reasons })))
  rows.sort((a, b) => String(a.file).localeCompare(String(b.file)))
  quarantine.sort((a, b) => a.file.localeCompare(b.file))
  return { outcome: { rows, quarantine }, displayName }
}

/** Unpacks and checks every wanted entry, a few decoding at once; gives the kept rows and the set-aside files. */
async function checkEntries(
  ctx: ImagesContext,
  reader: ArchiveReader,
  byName: ReadonlyMap<string, ListedFile>,
  labelling: Labelling,
  budget: UnpackBudget,
): Promise<ImagesOutcome> {
  const rows: ImageRow[] = []
  const quarantine: QuarantineRow[] = []
  let done = 0
  const inFlight = new Set<Promise<void>>()
  const failures: unknown[] = []
  const check = async (file: ListedFile, content: EntryContent) => {
    const problem = 'problem' in content ? content.problem : await keep(ctx, file, content.bytes, labelling, rows)
    if (problem) quarantine.push({ file: file.path, _reasons: [problem] })
    done++
    if (done % 50 === 0) ctx.progress(0.05 + 0.8 * (done / byName.size), `Read ${done} of ${byName.size} files`)
  }
  try {
    await reader.read(
      (entry) => byName.has(entry.name),
      async (entry, content) => {
        // decoding overlaps unpacking: a few images at a time, never the whole archive in memory
        const task: Promise<void> = check(byName.get(entry.name)!, content)
          .catch((error: unknown) => void failures.push(error))
          .finally(() => inFlight.delete(task))
        inFlight.add(task)
        if (inFlight.size >= CHECKS_IN_FLIGHT) await Promise.race(inFlight)
        if (failures.length > 0) throw failures[0]
      },
      budget,
    )
  } finally {
    await Promise.all(inFlight)
  }
  if (failures.length > 0) throw failures[0]
  return { rows, quarantine }
}

async function chooseLabelling(files: readonly ListedFile[], reader: ArchiveReader, budget: UnpackBudget): Promise<Labelling> {
  const csv = findLabelsCsv(files)
  if (!csv) return folderLabelling(files)
  let text: string | null = null
  let problem = ''
  await reader.read(
    (entry) => entry.name === csv.entry.name,
    async (_entry, content) => {
      if ('problem' in content) problem = content.problem
      else text = content.bytes.toString('utf8')
    },
    budget,
  )
  if (text === null) throw new StepError(`${csv.path} could not be read: ${problem || 'it is missing'}.`)
  return csvLabelling(csv, text)
}

/** Keeps one image as a blob and its row; gives why not instead, for the quarantine. */
async function keep(ctx: ImagesContext, file: ListedFile, bytes: Buffer, labelling: Labelling, rows: ImageRow[]): Promise<string | null> {
  const checked = await checkImage(bytes)
  if (!checked.ok) return checked.reason
  const labelled = labelling.labelOf(file)
  if ('problem' in labelled) return labelled.problem
  const wrongBoxes = boxProblems(labelled.boxes, checked.width, checked.height)
  if (wrongBoxes.length > 0) return wrongBoxes.join('; ')
  const image = await ctx.outputs.blob(bytes, checked.mediaType)
  rows.push({ image, width: checked.width, height: checked.height, label: labelled.label, boxes: labelled.boxes, file: file.path })
  return null
}

/** Writes both outputs; fails the step when not one image could be read. */
export async function writeImageOutputs(
  outcome: ImagesOutcome,
  paths: { dataset: string; quarantine: string },
  ctx: Pick<ImagesContext, 'log' | 'workDir'>,
  displayName: string,
): Promise<void> {
  const { rows, quarantine } = outcome
  if (rows.length === 0) {
    const examples = quarantine.slice(0, 5).map((q) => `${q.file} ${q._reasons.join('; ')}`)
    throw new StepError(
      `No image in ${displayName} could be read` +
        (quarantine.length > 0 ? `: ${quarantine.length} ${quarantine.length === 1 ? 'file was' : 'files were'} set aside, e.g. ${examples.join(' · ')}.` : ': it holds no files.'),
    )
  }
  await writeImageDataset(paths.dataset, rows, { workDir: ctx.workDir, extraColumns: { file: 'VARCHAR' } })
  await writeQuarantine(paths.quarantine, quarantine, { workDir: ctx.workDir })
  const labels = new Map<string, number>()
  for (const row of rows) labels.set(row.label, (labels.get(row.label) ?? 0) + 1)
  ctx.log(
    'info',
    `Kept ${rows.length} ${rows.length === 1 ? 'image' : 'images'} in ${labels.size} ${labels.size === 1 ? 'label' : 'labels'}: ` +
      [...labels].map(([label, n]) => `${label} ${n}`).join(', '),
  )
  if (quarantine.length > 0) ctx.log('warn', `${quarantine.length} ${quarantine.length === 1 ? 'file went' : 'files went'} to quarantine; see the quarantine output`)
}
