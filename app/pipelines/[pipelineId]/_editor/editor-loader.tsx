'use client'
import dynamic from 'next/dynamic'
import type { EditorProps } from './pipeline-editor'

/**
 * The canvas renders in the browser only: it measures the window, reads the clipboard and keeps
 * its state in a per-tab store. The server sends a placeholder of the same size.
 */
const PipelineEditor = dynamic(() => import('./pipeline-editor').then((m) => m.PipelineEditor), {
  ssr: false,
  loading: () => (
    <div className="flex h-[calc(100vh-14.5rem)] min-h-[30rem] items-center justify-center rounded-lg border border-zinc-200 bg-white text-sm text-zinc-500">
      Loading the canvas…
    </div>
  ),
})

export function EditorLoader(props: EditorProps) {
  return <PipelineEditor {...props} />
}
