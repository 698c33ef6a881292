import fs from 'node:fs'

/** A CSV of `rows` × 10 columns, written in chunks; about 1 % of rows break the bench rules. */
export async function writeWideCsv(file: string, rows: number): Promise<void> {
  const out = fs.createWriteStream(file)
  out.write('id,"sensor A",sensor_b,sensor_c,"temp [°C]",pressure,status,site,flag,note\n')
  const sites = ['north', 'south', 'east', 'west']
  let chunk: string[] = []
  for (let i = 1; i <= rows; i++) {
    const bad = i % 100 === 0
    const temp = bad ? 999 : 20 + (i % 17) * 0.5
    const status = bad && i % 200 === 0 ? 'exploded' : i % 3 === 0 ? 'ok' : 'warn'
    chunk.push(
      `${i},${(i % 1000) / 10},${(i * 7) % 500},${(i * 13) % 97},${temp},${1000 + (i % 50)},${status},${sites[i % 4]},${i % 2 === 0},row ${i}`,
    )
    if (chunk.length === 10_000) {
      if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
      chunk = []
    }
  }
  if (chunk.length > 0) out.write(`${chunk.join('\n')}\n`)
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
}

export const benchRules = [
  { column: 'id', rule: 'not_null' },
  { column: 'temp [°C]', rule: 'between', min: -40, max: 60 },
  { column: 'status', rule: 'in_set', values: ['ok', 'warn'] },
  { column: 'site', rule: 'regex', pattern: '^[a-z]+$' },
  { column: 'pressure', rule: 'between', min: 900, max: 1100 },
]
