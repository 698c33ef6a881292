/**
 * Undo/redo over immutable snapshots. Every edit is recorded; edits that arrive as a stream
 * (typing into one field) share a `key` and fold into one step while they keep coming, and a
 * drag records one step when it ends (`checkpoint`), whatever it passed through on the way.
 */
export interface History<T> {
  past: T[]
  present: T
  future: T[]
  /** the key and time of the last recorded edit, for folding a stream of edits into one step */
  last?: { key: string; at: number }
}

export const historyLimit = 200
/** edits with the same key closer together than this fold into one undo step */
export const foldWindowMs = 1000

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] }
}

function pushPast<T>(past: T[], value: T): T[] {
  const next = [...past, value]
  return next.length > historyLimit ? next.slice(next.length - historyLimit) : next
}

export function record<T>(history: History<T>, next: T, fold?: { key: string; at: number }): History<T> {
  if (next === history.present) return history
  const folds =
    fold !== undefined &&
    history.last !== undefined &&
    history.last.key === fold.key &&
    fold.at - history.last.at < foldWindowMs
  return {
    past: folds ? history.past : pushPast(history.past, history.present),
    present: next,
    future: [],
    ...(fold ? { last: fold } : {}),
  }
}

/** Change the present without an undo step (a drag in progress). Pair with `checkpoint`. */
export function replace<T>(history: History<T>, next: T): History<T> {
  return { ...history, present: next }
}

/** Record the change since `before` (the present when a drag began) as one undo step. */
export function checkpoint<T>(history: History<T>, before: T): History<T> {
  if (before === history.present) return history
  return { past: pushPast(history.past, before), present: history.present, future: [] }
}

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1)
  if (previous === undefined) return history
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] }
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future
  if (next === undefined) return history
  return { past: pushPast(history.past, history.present), present: next, future: rest }
}

export const canUndo = (history: History<unknown>) => history.past.length > 0
export const canRedo = (history: History<unknown>) => history.future.length > 0
