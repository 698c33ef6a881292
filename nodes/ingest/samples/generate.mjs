// Generates the shipped sample data sets, deterministically (same bytes every run):
//   node nodes/ingest/samples/generate.mjs
// The values are synthetic but plausible; a few are missing and a few are deliberately wrong so
// that a validate step has something to catch.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

const here = import.meta.dirname

/** mulberry32: a tiny seeded PRNG */
function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function csvField(value) {
  const text = value === null || value === undefined ? '' : String(value)
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
function toCsv(header, rows) {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n'
}

// ---- penguins -------------------------------------------------------------------------------
{
  const rand = prng(20240601)
  const normal = (mean, sd) => {
    const u = 1 - rand()
    const v = rand()
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }
  const pick = (items) => items[Math.floor(rand() * items.length)]
  const species = [
    { name: 'Adelie', n: 140, islands: ['Torgersen', 'Biscoe', 'Dream'], bill: [38.8, 2.6], depth: [18.3, 1.2], flipper: [190, 6.5], mass: [3700, 450] },
    { name: 'Chinstrap', n: 68, islands: ['Dream'], bill: [48.8, 3.3], depth: [18.4, 1.1], flipper: [196, 7], mass: [3730, 380] },
    { name: 'Gentoo', n: 112, islands: ['Biscoe'], bill: [47.5, 3.0], depth: [15.0, 1.0], flipper: [217, 6.5], mass: [5080, 500] },
  ]
  const rows = []
  for (const s of species) {
    for (let i = 0; i < s.n; i++) {
      const sex = rand() < 0.5 ? 'male' : 'female'
      const shift = sex === 'male' ? 1 : -1
      rows.push([
        s.name,
        pick(s.islands),
        (normal(s.bill[0], s.bill[1]) + shift * 1.2).toFixed(1),
        (normal(s.depth[0], s.depth[1]) + shift * 0.5).toFixed(1),
        Math.round(normal(s.flipper[0], s.flipper[1]) + shift * 2),
        Math.round((normal(s.mass[0], s.mass[1]) + shift * 250) / 25) * 25,
        sex,
        2007 + Math.floor(rand() * 3),
      ])
    }
  }
  // missing values: two birds never measured, a few of unknown sex
  for (const at of [3, 271]) rows[at] = [rows[at][0], rows[at][1], '', '', '', '', '', rows[at][7]]
  for (const at of [8, 9, 47]) rows[at][6] = ''
  for (const at of [178, 215]) rows[at][6] = 'NA'
  // deliberately wrong rows
  rows[12][2] = '999' // a typo'd bill length
  rows[150][2] = '-5' // an impossible one
  rows[60][0] = 'Adeleie' // a misspelt species
  rows[230][0] = 'gentoo' // wrong case
  rows[99][4] = '2100' // flipper length in the wrong unit
  writeFileSync(
    join(here, 'penguins.csv'),
    toCsv(['species', 'island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex', 'year'], rows),
  )
}

// ---- sensor readings ------------------------------------------------------------------------
{
  const rand = prng(777)
  const devices = ['dev-01', 'dev-02', 'dev-03', 'dev-04', 'dev-05', 'dev-06']
  const start = Date.UTC(2024, 2, 1, 0, 0, 0)
  const rows = []
  for (let i = 0; i < 200; i++) {
    const device = devices[i % devices.length]
    const at = new Date(start + Math.floor(i / devices.length) * 5 * 60_000).toISOString().replace('.000Z', 'Z')
    const base = 20 + (i % devices.length) * 1.5
    let temp = (base + Math.sin(i / 12) * 2 + (rand() - 0.5)).toFixed(2)
    const humidity = (45 + (rand() - 0.5) * 20).toFixed(1)
    let raw = String(Math.round(1000 + rand() * 3000))
    if (rand() < 0.04) raw = 'ERR'
    else if (rand() < 0.03) raw = 'n/a'
    else if (rand() < 0.05) raw = (Number(raw) / 100).toFixed(2)
    else if (rand() < 0.03) raw = ''
    if (rand() < 0.03) temp = ''
    const battery = (3.0 + rand() * 1.2).toFixed(2)
    const status = raw === 'ERR' ? 'fault' : rand() < 0.08 ? 'warn' : 'ok'
    rows.push([at, device, temp, humidity, raw, battery, status])
  }
  rows[77][2] = '85.00' // a sensor spike
  rows[140][2] = '-40.00' // a disconnected probe
  writeFileSync(
    join(here, 'sensor-readings.csv'),
    toCsv(['timestamp', 'Device ID', 'temp [°C]', 'humidity %', 'reading (raw)', 'battery "V"', 'status'], rows),
  )
}
