import {
  Activity,
  BrainCircuit,
  Camera,
  CopyPlus,
  FileInput,
  Gauge,
  Images,
  Rocket,
  ShieldCheck,
  Split,
  WandSparkles,
  type LucideIcon,
} from 'lucide-react'

/**
 * The one map from a definition's `ui.icon` to its picture: the palette and the canvas both
 * read it. A kind whose icon is not here is a type error in its definition; add the icon here.
 */
export const nodeIcons = {
  'file-input': FileInput,
  'shield-check': ShieldCheck,
  'wand-sparkles': WandSparkles,
  split: Split,
  'copy-plus': CopyPlus,
  camera: Camera,
  images: Images,
  'brain-circuit': BrainCircuit,
  gauge: Gauge,
  rocket: Rocket,
  activity: Activity,
} as const satisfies Record<string, LucideIcon>

export type NodeIconName = keyof typeof nodeIcons
