// What a preprocessing builder hands to the assembler: the raw inputs it reads, the features it
// describes for the metadata, and the nodes that write one float32 tensor for the head.
import type { Feature, TensorSignature } from '@/nodes/_lib/models/metadata'
import type { Subgraph } from './builder'

export interface PreprocessGraph {
  /** the model's inputs, named as the dataset columns (or `image`) */
  inputs: TensorSignature[]
  /** the raw features, as the model metadata lists them */
  features: Feature[]
  /** the tensor the nodes write: float32 [N, ...featureShape] */
  output: string
  /** one row of the output without the batch: [F] for tables, [3, h, w] for images */
  featureShape: number[]
  graph: Subgraph
}

/** Inner tensor names of preprocessing all start with this, so they stay apart from the head's. */
export const preprocessPrefix = 'pipewright.pre'
