import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { StepError, type AliasMove, type ApprovalRequest, type HandoffTicket, type OutputWriter, type PortType, type Ports } from '../contract'
import { modelMetadataSchema, type ModelMetadata } from './models/metadata'

/** One output an executor wrote, kept in scratch until the step succeeds. */
export type PendingOutput =
  | { type: 'dataset'; path: string }
  | { type: 'report'; value: unknown }
  | { type: 'file'; path: string; mediaType: string }
  | { type: 'model'; path: string; metadata: ModelMetadata; registerAs?: string }
  | { type: 'deployment'; value: unknown }

/** Each port type's pending shape, so a publisher gets exactly what its writer kept. */
export type PendingOf<T extends PortType> = Extract<PendingOutput, { type: T }>

export interface PendingBlob {
  path: string
  mediaType: string
  sizeBytes: number
}

export interface PendingOutputs {
  byPort: Map<string, PendingOutput>
  /** id (sha256) → the staged bytes */
  blobs: Map<string, PendingBlob>
  /** applied after the outputs are published, in order */
  aliasMoves: AliasMove[]
  /** set when the executor handed training off: the step parks instead of publishing */
  handoff?: { ticket: HandoffTicket; start?: (ticket: HandoffTicket) => Promise<void> }
  /** set when the executor asked for approval: the step parks, its outputs kept with the approval */
  approval?: ApprovalRequest
}

/** The executor's `outputs`: every write lands in `outputsDir`; nothing is visible elsewhere yet. */
export function createOutputWriter(outputsDir: string): { writer: OutputWriter<Ports>; pending: PendingOutputs } {
  fs.mkdirSync(outputsDir, { recursive: true })
  const pending: PendingOutputs = { byPort: new Map(), blobs: new Map(), aliasMoves: [] }
  const blobsDir = path.join(outputsDir, 'blobs')
  const moveIn = async (port: string, source: string, suffix: string): Promise<string> => {
    const target = path.join(outputsDir, `${port}${suffix}`)
    await fs.promises.rename(source, target).catch(async () => {
      // another filesystem (the executor wrote outside its scratch): copy instead
      await fs.promises.copyFile(source, target)
      await fs.promises.rm(source, { force: true })
    })
    return target
  }
  const writer: OutputWriter<Ports> = {
    datasetPath(port) {
      const file = path.join(outputsDir, `${port}.parquet`)
      pending.byPort.set(port, { type: 'dataset', path: file })
      return file
    },
    async report(port, value) {
      pending.byPort.set(port, { type: 'report', value: roundTrip(value) })
    },
    async deployment(port, value) {
      pending.byPort.set(port, { type: 'deployment', value: roundTrip(value) })
    },
    async file(port, source, mediaType) {
      pending.byPort.set(port, { type: 'file', path: await moveIn(port, source, '.file'), mediaType })
    },
    async model(port, source, metadata, options) {
      // checked by zod now, so a bad claim fails at the executor's line; the runtime check comes at publishing
      const parsed = modelMetadataSchema.safeParse(metadata)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        throw new StepError(`The metadata of model "${port}" is invalid at ${issue?.path.join('.') || '(metadata)'}: ${issue?.message ?? ''}`)
      }
      const registerAs = options?.registerAs
      pending.byPort.set(port, { type: 'model', path: await moveIn(port, source, '.onnx'), metadata: parsed.data, ...(registerAs ? { registerAs } : {}) })
    },
    moveAlias(move) {
      pending.aliasMoves.push({ ...move })
    },
    async blob(bytes, mediaType) {
      const id = createHash('sha256').update(bytes).digest('hex')
      if (!pending.blobs.has(id)) {
        const file = path.join(blobsDir, id)
        await fs.promises.mkdir(blobsDir, { recursive: true })
        await fs.promises.writeFile(file, bytes)
        pending.blobs.set(id, { path: file, mediaType, sizeBytes: bytes.byteLength })
      }
      return id
    },
  }
  return { writer, pending }
}

/** Store what JSON keeps: a report with a Date or undefined reads back the same everywhere. */
function roundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown
}
