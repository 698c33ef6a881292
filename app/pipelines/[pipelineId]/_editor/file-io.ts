import { pipelineFile, type PipelineFile } from '@/server/compiler/pipeline-file'
import { fromPipelineFile, toPipelineFile, type EditorDoc } from './document'

export type ParsedFile = { ok: true; file: PipelineFile; doc: EditorDoc } | { ok: false; problems: string[] }

const maxImportBytes = 10 * 1024 * 1024

/**
 * Reads text that should be a pipeline file (an upload, a paste, the clipboard) and says,
 * line by line, what is wrong when it is not one. Never throws.
 */
export function parsePipelineText(text: string): ParsedFile {
  if (text.length > maxImportBytes) return { ok: false, problems: ['The file is larger than 10 MB; a pipeline file is far smaller.'] }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { ok: false, problems: [`This is not JSON: ${(error as Error).message}`] }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, problems: ['A pipeline file is a JSON object with "apiVersion", "name", "nodes" and "edges".'] }
  }
  const parsed = pipelineFile.safeParse(json)
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.slice(0, 20).map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`),
    }
  }
  return { ok: true, file: parsed.data, doc: fromPipelineFile(parsed.data) }
}

export function pipelineJson(doc: EditorDoc): string {
  return `${JSON.stringify(toPipelineFile(doc), null, 2)}\n`
}

export function downloadPipeline(doc: EditorDoc): void {
  const blob = new Blob([pipelineJson(doc)], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = `${doc.name}.pipeline.json`
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
