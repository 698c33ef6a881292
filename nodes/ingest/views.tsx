'use client'
import { defineViews } from '../views-contract'
import { CameraPreview } from './camera/preview'

/** Under the ingest settings: a camera source's first images; other sources need no aside. */
function IngestConfigAside({ config }: { config: unknown; nodeId: string }) {
  const source = typeof config === 'object' && config !== null && 'source' in config ? config.source : undefined
  const isCamera = typeof source === 'object' && source !== null && 'type' in source && source.type === 'camera'
  return isCamera ? <CameraPreview source={source} /> : null
}

export const ingestViews = defineViews({ kind: 'ingest', ConfigAside: IngestConfigAside })
