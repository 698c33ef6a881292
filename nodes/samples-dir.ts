import path from 'node:path'

/** Where the shipped sample data sets live, under the app's root folder (process.cwd() when served). */
export function samplesDirUnder(root: string): string {
  return path.join(root, 'nodes', 'ingest', 'samples')
}
