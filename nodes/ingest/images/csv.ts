// A small RFC 4180 reader for labels.csv: quoted fields, doubled quotes, CRLF, a UTF-8 BOM.
// Its rows are few (one per image), so a reader of our own beats a DuckDB round trip.

/** Rows of cells, each with the 1-based line it starts on. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = []
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  const delimiter = detectDelimiter(body)
  let cells: string[] = []
  let cell = ''
  let quoted = false
  let line = 1
  let rowLine = 1
  const endRow = () => {
    cells.push(cell)
    if (cells.length > 1 || cells[0]!.trim() !== '') rows.push({ line: rowLine, cells })
    cells = []
    cell = ''
  }
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else {
        if (c === '\n') line++
        cell += c
      }
    } else if (c === '"' && cell === '') quoted = true
    else if (c === delimiter) {
      cells.push(cell)
      cell = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++
      endRow()
      line++
      rowLine = line
    } else cell += c
  }
  if (cell !== '' || cells.length > 0) endRow()
  return rows
}

/** Spreadsheets in many locales write `;`; a header line tells which one this file uses. */
function detectDelimiter(text: string): string {
  const header = text.slice(0, text.search(/\r|\n|$/))
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length] as const)
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0]
}
