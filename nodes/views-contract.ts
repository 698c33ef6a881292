import type { ComponentType } from 'react'
import type { DatasetProfile } from './_lib/parquet'
import type { DatasetColumn } from './contract'

/** A dataset output as the step page and the canvas preview receive it. */
export interface DatasetPreview {
  artifactId: string
  rowCount: number
  schema: DatasetColumn[]
  rows: Record<string, unknown>[]
  /** present on the step page; the canvas preview has no room for statistics */
  profile?: DatasetProfile
}

/**
 * How one node kind's outputs and settings are shown, beside its definition in
 * `nodes/<kind>/views.tsx` (a client module) and listed once in `nodes/views.ts`. Everything is
 * optional: a kind without views gets the generic table, image grid and JSON.
 */
export interface NodeViews<K extends string = string> {
  kind: K
  /** a summary of a report port; the raw JSON stays one click away below it */
  Report?: ComponentType<{ port: string; report: unknown }>
  /** dataset ports shown their own way (validate's quarantine), by port name */
  datasetPorts?: Partial<Record<string, ComponentType<{ port: string; preview: DatasetPreview }>>>
  /** under the config form in the node panel: what the settings mean (the SQL a transform runs, a camera preview) */
  ConfigAside?: ComponentType<ConfigAsideProps>
}

export interface ConfigAsideProps {
  config: unknown
  nodeId: string
  /** the columns (and DuckDB types) of the dataset on the node's first input; null until upstream has run */
  inputSchema?: DatasetColumn[] | null
}

export function defineViews<K extends string>(views: NodeViews<K>): NodeViews<K> {
  return views
}
