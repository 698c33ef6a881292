// Server-only: the model versions being served, one ServedModel per "<model>@<version>", shared by
// every deployment that routes to it. A version opens on its first use (concurrent first uses
// share the one load) and closes when the last deployment lets go of it, after its requests end.
// A hot swap is: acquire the new version (loaded and warm), move traffic, release the old one.
import { ServedModel, type ServedModelSource } from './served-model'

/** The pool key of one model version. */
export function modelKey(model: string, version: string | number): string {
  return `${model}@${version}`
}

/** Where the pool gets a version's bytes, metadata and serving options (the model registry). */
export type ModelLoader = (key: string) => Promise<ServedModelSource>

interface Entry {
  references: number
  model: Promise<ServedModel>
  /** set once loaded, so routing needs no await */
  ready: ServedModel | null
}

export interface PoolEntryStats {
  key: string
  references: number
  loaded: boolean
}

export class ModelPool {
  private readonly entries = new Map<string, Entry>()
  private readonly closing = new Set<Promise<void>>()

  constructor(private readonly load: ModelLoader) {}

  /**
   * Takes a reference for a deployment and gives the served model once it is loaded and warm.
   * A failed load leaves no entry behind, so the next acquire tries again.
   */
  async acquire(key: string): Promise<ServedModel> {
    let entry = this.entries.get(key)
    if (!entry) entry = this.startLoading(key)
    entry.references++
    try {
      return await entry.model
    } catch (error) {
      entry.references--
      throw error
    }
  }

  /** The loaded model for a key, or undefined while it loads or after it is gone: what a route calls per request. */
  get(key: string): ServedModel | undefined {
    return this.entries.get(key)?.ready ?? undefined
  }

  /** Drops a deployment's reference; the last one retires the version. */
  async release(key: string): Promise<void> {
    const entry = this.entries.get(key)
    if (!entry) return
    entry.references = Math.max(0, entry.references - 1)
    if (entry.references === 0) await this.retire(key)
  }

  /** Takes the version out of the pool at once (no new requests reach it) and closes it after its requests end. */
  async retire(key: string): Promise<void> {
    const entry = this.entries.get(key)
    if (!entry) return
    this.entries.delete(key)
    // a loaded model starts closing now, in this tick, so nothing holding it gets a request in
    const closed = entry.ready
      ? entry.ready.close()
      : entry.model.then(
          (model) => model.close(),
          () => undefined,
        )
    this.closing.add(closed)
    try {
      await closed
    } finally {
      this.closing.delete(closed)
    }
  }

  stats(): PoolEntryStats[] {
    return [...this.entries].map(([key, entry]) => ({ key, references: entry.references, loaded: entry.ready !== null }))
  }

  /** Retires every version and waits for all of them, including those already retiring. */
  async close(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((key) => this.retire(key)))
    await Promise.all([...this.closing])
  }

  private startLoading(key: string): Entry {
    const entry: Entry = { references: 0, model: Promise.resolve(null as never), ready: null }
    entry.model = this.load(key)
      .then((source) => ServedModel.open(source))
      .then((model) => {
        entry.ready = model
        // retired while it was loading: nobody will route to it
        if (this.entries.get(key) !== entry) void model.close()
        return model
      })
    entry.model.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key)
    })
    this.entries.set(key, entry)
    return entry
  }
}
