// Classification metrics as scikit-learn computes them (zero_division=0): accuracy, per-class and
// macro/weighted precision, recall and F1, and the confusion matrix. Pure TypeScript, browser-safe.

export interface ClassScores {
  label: string
  precision: number
  recall: number
  f1: number
  /** rows whose true label is this class */
  support: number
}

export interface ClassificationMetrics {
  accuracy: number
  precision_macro: number
  recall_macro: number
  f1_macro: number
  precision_weighted: number
  recall_weighted: number
  f1_weighted: number
}

export interface ClassificationResult {
  metrics: ClassificationMetrics
  per_class: ClassScores[]
  /** rows are true classes, columns predicted, both in `labels` order */
  confusion_matrix: { labels: string[]; matrix: number[][] }
}

/**
 * The classes reported: the model's own in its order, then any other label seen in the truth or
 * the predictions, sorted (scikit-learn sorts the union; a model's order reads better).
 */
export function classLabels(known: readonly string[], truth: readonly string[], predicted: readonly string[]): string[] {
  const seen = new Set(known)
  const extra = new Set<string>()
  for (const label of [...truth, ...predicted]) if (!seen.has(label)) extra.add(label)
  return [...known, ...[...extra].sort()]
}

export function confusionMatrix(labels: readonly string[], truth: readonly string[], predicted: readonly string[]): number[][] {
  const index = new Map(labels.map((l, i) => [l, i]))
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0))
  for (let i = 0; i < truth.length; i++) {
    const t = index.get(truth[i]!)
    const p = index.get(predicted[i]!)
    if (t !== undefined && p !== undefined) matrix[t]![p]! += 1
  }
  return matrix
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator)

export function classificationMetrics(truth: readonly string[], predicted: readonly string[], known: readonly string[] = []): ClassificationResult {
  if (truth.length !== predicted.length) throw new Error(`${truth.length} true labels but ${predicted.length} predictions`)
  const labels = classLabels(known, truth, predicted)
  const matrix = confusionMatrix(labels, truth, predicted)
  const total = truth.length
  const perClass = labels.map((label, k): ClassScores => {
    const truePositives = matrix[k]![k]!
    const support = matrix[k]!.reduce((a, b) => a + b, 0)
    const predictedAs = matrix.reduce((sum, row) => sum + row[k]!, 0)
    const precision = ratio(truePositives, predictedAs)
    const recall = ratio(truePositives, support)
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support }
  })
  const correct = labels.reduce((sum, _, k) => sum + matrix[k]![k]!, 0)
  // macro averages over the classes the rows show (truth or predictions), as scikit-learn does by
  // default: a class the model knows but these rows never mention would count as an F1 of 0
  const shown = perClass.filter((c, k) => c.support > 0 || matrix.some((row) => row[k]! > 0))
  const mean = (pick: (c: ClassScores) => number) => ratio(shown.reduce((s, c) => s + pick(c), 0), shown.length)
  const weighted = (pick: (c: ClassScores) => number) => ratio(perClass.reduce((s, c) => s + pick(c) * c.support, 0), total)
  return {
    metrics: {
      accuracy: ratio(correct, total),
      precision_macro: mean((c) => c.precision),
      recall_macro: mean((c) => c.recall),
      f1_macro: mean((c) => c.f1),
      precision_weighted: weighted((c) => c.precision),
      recall_weighted: weighted((c) => c.recall),
      f1_weighted: weighted((c) => c.f1),
    },
    per_class: perClass,
    confusion_matrix: { labels, matrix },
  }
}
