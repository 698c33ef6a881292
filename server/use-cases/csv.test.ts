import { describe, expect, it } from 'vitest'
import { csvColumns, CsvSyntaxError, formatCsvError, parseCsv, useCasesFromCsv, useCasesToCsv, type CsvImportResult } from './csv'
import { useCaseFields, type UseCaseFields } from './model'

const errorsOf = (result: CsvImportResult) => (result.ok ? [] : result.errors.map(formatCsvError))
const rowsOf = (result: CsvImportResult) => {
  if (!result.ok) throw new Error(`expected ok, got:\n${result.errors.map(formatCsvError).join('\n')}`)
  return result.rows
}

const varied: UseCaseFields[] = [
  useCaseFields.parse({ title: 'Invoice matching' }),
  useCaseFields.parse({
    title: '=HYPERLINK("http://evil","click")',
    problem: 'Orders, returns and "urgent" cases\r\nspan two lines',
    businessOwner: '@ops-team',
    affectedProcess: '-1 step',
    notes: "line one\nline two, with a comma\n\"quoted\" – Prüfung 日本 🚀\n'tis the season",
    dataAvailability: 'dispersed',
    status: 'deployed',
    currency: 'CHF',
    severity: 7,
    devCost: 1234.5,
    prodCostMonthly: 0,
    maintenanceCostYearly: 1e12,
    confidence: 87.5,
  }),
  useCaseFields.parse({
    title: "'Quoted' title\twith tab",
    notes: '+49 30 1234',
    reach: 1e21,
    impact: 0.25,
    effort: 0.1,
    businessValue: 13,
    timeCriticality: 20,
    riskReduction: 1,
    jobSize: 8,
    confidence: 0,
  }),
]

describe('csv columns', () => {
  it('are the schema keys in order, title first', () => {
    expect(csvColumns).toEqual(Object.keys(useCaseFields.shape))
    expect(csvColumns[0]).toBe('title')
  })
})

describe('export', () => {
  it('round-trips: what we export imports as the same use cases', () => {
    expect(rowsOf(useCasesFromCsv(useCasesToCsv(varied)))).toEqual(varied)
  })

  it('writes a header, CRLF line ends, plain numbers and empty cells for null', () => {
    const csv = useCasesToCsv(varied)
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe(csvColumns.join(','))
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(lines[1]).toBe('Invoice matching,,,,none,,,,,EUR,50,idea,,,,,,,,')
    expect(csv).toContain(',1000000000000,') // no "1e+12"
    expect(csv).toContain(',1000000000000000000000,') // no "1e+21"
  })

  it('quotes cells with commas, quotes and newlines, and guards formulas but not numbers', () => {
    const csv = useCasesToCsv(varied)
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""click"")"`)
    expect(csv).toContain(`"Orders, returns and ""urgent"" cases\r\nspan two lines",'@ops-team,'-1 step,`)
    expect(csv).toContain(",'+49 30 1234,")
    expect(csv).toContain(`''Quoted' title\twith tab,`)
    expect(useCasesToCsv([{ ...varied[0]!, devCost: -5 }])).toContain(',-5,')
  })

  it('writes just the header for an empty board', () => {
    expect(useCasesToCsv([])).toBe(csvColumns.join(',') + '\r\n')
  })
})

describe('parseCsv', () => {
  it('handles quoted commas, doubled quotes and embedded newlines', () => {
    expect(parseCsv('a,b,c\n"x, y","say ""hi""","two\nlines"\n')).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
    ])
  })

  it('reads CRLF and LF, strips a BOM, keeps empty cells and middle blank lines, drops trailing blank lines', () => {
    expect(parseCsv('\uFEFFtitle,severity\r\nA,\r\n\r\n,3\nB,4\r\n\r\n\n')).toEqual([['title', 'severity'], ['A', ''], [''], ['', '3'], ['B', '4']])
    expect(parseCsv('title\nlast line without newline')).toEqual([['title'], ['last line without newline']])
    expect(parseCsv('')).toEqual([])
  })

  it('detects ";" when the header has semicolons and no comma', () => {
    expect(parseCsv('title;devCost\n"A; B";1,5\n')).toEqual([['title', 'devCost'], ['A; B', '1,5']])
    expect(parseCsv('title,notes\nA;B,x\n')).toEqual([['title', 'notes'], ['A;B', 'x']])
  })

  it('says on which line an unterminated quote started', () => {
    expect(() => parseCsv('a,b\n1,2\n3,"oops\nmore')).toThrow(/line 3/)
    // a quoted newline earlier: the file's line 4 is the spreadsheet's row 3
    try {
      parseCsv('title\n"two\nlines"\n"open')
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(CsvSyntaxError)
      expect(e).toMatchObject({ line: 4, row: 3 })
    }
    expect(errorsOf(useCasesFromCsv('title\n"two\nlines"\n"open'))).toEqual([
      'row 3, field (file): unterminated quote: the quoted cell starting on line 4 never closes',
    ])
  })
})

describe('import: the header', () => {
  it('accepts keys in any case and the human labels, with units in brackets', () => {
    const csv = [
      ' Title ,Business owner,Affected process,Data availability,Dev cost (EUR),Prod cost monthly (EUR),Maintenance cost yearly [EUR],' +
        'Business value,Time criticality,Risk reduction,Job size,Confidence (%),CURRENCY,status,dev-cost-x',
    ]
    expect(errorsOf(useCasesFromCsv(csv.join('\n')))).toEqual([
      expect.stringMatching(/^row 1, field dev-cost-x: unknown column; expected id or one of title, problem, businessOwner/),
    ])
    const good = csv[0]!.replace(',dev-cost-x', '') + '\nA,Ana,Billing,Ready,100,10.5,.5,5,8,1,13,80 %,usd,Deployed\n'
    expect(rowsOf(useCasesFromCsv(good))).toEqual([
      useCaseFields.parse({
        title: 'A',
        businessOwner: 'Ana',
        affectedProcess: 'Billing',
        dataAvailability: 'ready',
        devCost: 100,
        prodCostMonthly: 10.5,
        maintenanceCostYearly: 0.5,
        businessValue: 5,
        timeCriticality: 8,
        riskReduction: 1,
        jobSize: 13,
        confidence: 80,
        currency: 'USD',
        status: 'deployed',
      }),
    ])
  })

  it('needs a title column', () => {
    expect(errorsOf(useCasesFromCsv('problem,notes\nx,y\n'))).toEqual(['row 1, field title: missing column'])
    expect(errorsOf(useCasesFromCsv(''))).toEqual(['row 1, field title: missing column'])
  })

  it('refuses unknown, unnamed and duplicate columns', () => {
    expect(errorsOf(useCasesFromCsv('title,sevrity\nA,3\n'))).toEqual([expect.stringMatching(/^row 1, field sevrity: unknown column; expected id or one of /)])
    expect(errorsOf(useCasesFromCsv('title,\nA,\n'))).toEqual([expect.stringMatching(/^row 1, field \(column 2\): unknown column/)])
    expect(errorsOf(useCasesFromCsv('title,Dev cost,dev_cost\nA,1,2\n'))).toEqual(['row 1, field dev_cost: duplicate column (same as "Dev cost")'])
  })

  it('fills the columns that are not there with the defaults', () => {
    expect(rowsOf(useCasesFromCsv('title\nA\n'))).toEqual([useCaseFields.parse({ title: 'A' })])
    expect(rowsOf(useCasesFromCsv('title\n'))).toEqual([])
  })
})

describe('import: the cells', () => {
  it('names the row (as the spreadsheet numbers it) and the field of every error, across all rows', () => {
    const csv = [
      'title,severity,devCost,currency', //  row 1
      'A,0,,', //                             row 2
      'B,11,,', //                            row 3
      ',,,', //                               row 4: blank, skipped
      'C,5,-5,', //                           row 5
      'D,5,,XYZ', //                          row 6
      '', //                                  row 7: blank, skipped
      'E,5,abc,', //                          row 8
      '"F\nover two lines",12k,"1,200.50",', // row 9
      'G,0,12.5,eur', //                      row 10
      '  ,3,,', //                            row 11
    ].join('\r\n')
    expect(errorsOf(useCasesFromCsv(csv))).toEqual([
      'row 2, field severity: must be between 1 and 10',
      'row 3, field severity: must be between 1 and 10',
      'row 5, field devCost: must be 0 or more',
      expect.stringMatching(/^row 6, field currency: must be one of EUR, USD/),
      'row 8, field devCost: must be a number (got "abc")',
      'row 9, field severity: must be a number (got "12k")',
      'row 9, field devCost: must be a number (got "1,200.50")',
      'row 10, field severity: must be between 1 and 10',
      'row 11, field title: must not be empty',
    ])
  })

  it('coerces friendly input: spaces, case, percent (confidence only), empty cells', () => {
    const rows = rowsOf(useCasesFromCsv('title,severity,confidence,status,currency,impact\n  Padded  , 7 , 40% ,MODEL,gbp,.5\nB,,,,,\n'))
    expect(rows[0]).toMatchObject({ title: 'Padded', severity: 7, confidence: 40, status: 'model', currency: 'GBP', impact: 0.5 })
    expect(rows[1]).toMatchObject({ title: 'B', severity: null, confidence: 50, status: 'idea', currency: 'EUR', impact: null })
    expect(errorsOf(useCasesFromCsv('title,severity\nA,5%\n'))).toEqual(['row 2, field severity: must be a number (got "5%")'])
    expect(errorsOf(useCasesFromCsv('title,status\nA,shipped\n'))[0]).toMatch(/^row 2, field status: /)
  })

  it('undoes only our own formula guard', () => {
    const rows = rowsOf(useCasesFromCsv("title,notes\n'=1+1,'tis\n"))
    expect(rows[0]).toMatchObject({ title: '=1+1', notes: "'tis" })
  })

  it('refuses a row with more cells than the header, and pads one with fewer', () => {
    expect(errorsOf(useCasesFromCsv('title,severity\nA,3,extra\nB\n'))).toEqual(['row 2, field (row): has 3 cells but the header has 2 columns'])
    expect(rowsOf(useCasesFromCsv('title,severity,notes\nB\n'))[0]).toMatchObject({ title: 'B', severity: null, notes: '' })
  })

  it('reads a semicolon file from European Excel', () => {
    expect(rowsOf(useCasesFromCsv('\uFEFFTitle;Severity;Dev cost (EUR)\r\nA;3;1200\r\n'))[0]).toMatchObject({ title: 'A', severity: 3, devCost: 1200 })
  })

  it('stops at 200 errors', () => {
    const csv = ['title,severity', ...Array.from({ length: 250 }, (_, i) => `R${i},0`)].join('\n')
    const errors = errorsOf(useCasesFromCsv(csv))
    expect(errors).toHaveLength(200)
    expect(errors[199]).toBe('row 201, field severity: must be between 1 and 10')
  })

  it("reads Excel's sep= line as the delimiter and numbers the header as row 1", () => {
    expect(parseCsv('sep=;\r\ntitle;severity\r\nA, with comma;3\r\n')).toEqual([
      ['title', 'severity'],
      ['A, with comma', '3'],
    ])
    const result = useCasesFromCsv('sep=|\ntitle|severity\nB|11\n')
    expect(result.ok ? [] : result.errors.map(formatCsvError)).toEqual(['row 2, field severity: must be between 1 and 10'])
    expect(() => parseCsv('sep=;\ntitle\n"open')).toThrow(/starting on line 3/)
  })
})
