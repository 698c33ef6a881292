/** Test data made by the tests themselves: nothing is fetched. */

export interface MeasurementsCsv {
  csv: string
  /** 1-based data row numbers that break the rules of `measurementRules` */
  badRows: number[]
  rowCount: number
}

/**
 * Measurements with awkward column names; every 10th row breaks one rule:
 * a null id, a "temp [°C]" out of range, or a status outside the set.
 */
export function measurementsCsv(rowCount: number): MeasurementsCsv {
  const lines = ['"Device ID","temp [°C]",status,"reading (raw)"']
  const badRows: number[] = []
  for (let row = 1; row <= rowCount; row++) {
    let id = `dev-${row % 7}`
    let temp = (20 + (row % 15)).toFixed(1)
    let status = row % 3 === 0 ? 'ok' : 'warn'
    if (row % 10 === 0) {
      badRows.push(row)
      const kind = (row / 10) % 3
      if (kind === 0) id = ''
      else if (kind === 1) temp = '999.0'
      else status = 'exploded'
    }
    lines.push(`${id},${temp},${status},${row * 3}`)
  }
  return { csv: `${lines.join('\n')}\n`, badRows, rowCount }
}

export const measurementRules = [
  { column: 'Device ID', rule: 'not_null' },
  { column: 'temp [°C]', rule: 'between', min: -40, max: 60 },
  { column: 'status', rule: 'in_set', values: ['ok', 'warn'] },
]

export function ingestValidatePipeline(name: string, artifactId: string, rules: unknown[] = measurementRules) {
  return {
    apiVersion: 'pipewright/v1',
    name,
    nodes: [
      { id: 'load', kind: 'ingest', config: { source: { type: 'upload', artifactId } } },
      { id: 'check', kind: 'validate', config: { rules } },
    ],
    edges: [{ from: 'load.dataset', to: 'check.dataset' }],
  }
}

export function urlIngestPipeline(name: string, url: string) {
  return {
    apiVersion: 'pipewright/v1',
    name,
    nodes: [
      { id: 'load', kind: 'ingest', config: { source: { type: 'url', url, format: 'csv' } } },
      { id: 'check', kind: 'validate', config: { rules: measurementRules } },
    ],
    edges: [{ from: 'load.dataset', to: 'check.dataset' }],
  }
}
