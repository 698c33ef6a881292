// Isomorphic: the derive step's small expression language, parsed here and written out as DuckDB
// SQL. The user's text never reaches DuckDB as it is: only the tokens this parser knows, with
// columns quoted as identifiers and text quoted as literals, so an expression cannot smuggle SQL.
//
//   expression := or
//   or         := and ('or' and)*
//   and        := not ('and' not)*
//   not        := 'not' not | compare
//   compare    := sum (('=' | '!=' | '<>' | '<' | '<=' | '>' | '>=') sum)?
//   sum        := product (('+' | '-') product)*
//   product    := unary (('*' | '/' | '%') unary)*
//   unary      := '-' unary | primary
//   primary    := number | 'text' | "column" | name | name '(' args ')' | true | false | null | '(' expression ')'
import { quoteIdent, quoteLiteral } from '../_lib/sql-text'

/** A problem in an expression, at a 0-based character offset. */
export class ExpressionError extends Error {
  override name = 'ExpressionError'
  constructor(
    readonly reason: string,
    readonly position: number,
    readonly source: string,
  ) {
    super(`${reason} at character ${position + 1}`)
  }

  /** The expression with a caret under the spot, for a message shown in monospace. */
  pointer(): string {
    return `${this.source}\n${' '.repeat(this.position)}^`
  }
}

type Token =
  | { kind: 'number'; text: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'column'; name: string; at: number }
  | { kind: 'name'; name: string; at: number }
  | { kind: 'op'; op: string; at: number }
  | { kind: 'end'; at: number }

const NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/
const NAME = /^[\p{L}_][\p{L}\p{N}_]*/u
const OPERATORS = ['<=', '>=', '!=', '<>', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ',']

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < source.length) {
    const rest = source.slice(i)
    const space = /^\s+/.exec(rest)
    if (space) {
      i += space[0].length
      continue
    }
    const number = NUMBER.exec(rest)
    if (number) {
      tokens.push({ kind: 'number', text: number[0], at: i })
      i += number[0].length
      continue
    }
    const name = NAME.exec(rest)
    if (name) {
      tokens.push({ kind: 'name', name: name[0], at: i })
      i += name[0].length
      continue
    }
    if (rest[0] === "'" || rest[0] === '"') {
      const { value, length } = quoted(source, i)
      tokens.push(rest[0] === "'" ? { kind: 'string', value, at: i } : { kind: 'column', name: value, at: i })
      i += length
      continue
    }
    const op = OPERATORS.find((o) => rest.startsWith(o))
    if (!op) throw new ExpressionError(`unexpected character ${JSON.stringify(rest[0])}`, i, source)
    tokens.push({ kind: 'op', op, at: i })
    i += op.length
  }
  tokens.push({ kind: 'end', at: source.length })
  return tokens
}

/** A 'text' or "column" starting at `start`; the quote is doubled inside to stand for itself. */
function quoted(source: string, start: number): { value: string; length: number } {
  const quote = source[start]!
  let value = ''
  let i = start + 1
  while (i < source.length) {
    if (source[i] === quote) {
      if (source[i + 1] === quote) {
        value += quote
        i += 2
        continue
      }
      return { value, length: i + 1 - start }
    }
    value += source[i]
    i += 1
  }
  throw new ExpressionError(quote === "'" ? 'text is not closed with \'' : 'column name is not closed with "', start, source)
}

export type Expr =
  | { type: 'number'; text: string }
  | { type: 'string'; value: string }
  | { type: 'literal'; value: 'TRUE' | 'FALSE' | 'NULL' }
  | { type: 'column'; name: string; at: number }
  | { type: 'unary'; op: '-' | 'NOT'; operand: Expr }
  | { type: 'binary'; op: string; left: Expr; right: Expr }
  | { type: 'call'; name: string; args: Expr[] }

/** Functions by name: their arity and how they are written in DuckDB SQL. */
const functions: Record<string, { min: number; max: number; sql(args: string[]): string }> = {
  abs: { min: 1, max: 1, sql: ([x]) => `abs(${x})` },
  round: { min: 1, max: 2, sql: ([x, d]) => `round(${x}, CAST(${d ?? '0'} AS INTEGER))` },
  floor: { min: 1, max: 1, sql: ([x]) => `floor(${x})` },
  ceil: { min: 1, max: 1, sql: ([x]) => `ceil(${x})` },
  sqrt: { min: 1, max: 1, sql: ([x]) => `sqrt(${x})` },
  ln: { min: 1, max: 1, sql: ([x]) => `ln(${x})` },
  exp: { min: 1, max: 1, sql: ([x]) => `exp(${x})` },
  // text functions take any value as its text, as a spreadsheet would
  lower: { min: 1, max: 1, sql: ([x]) => `lower(CAST(${x} AS VARCHAR))` },
  upper: { min: 1, max: 1, sql: ([x]) => `upper(CAST(${x} AS VARCHAR))` },
  trim: { min: 1, max: 1, sql: ([x]) => `trim(CAST(${x} AS VARCHAR))` },
  length: { min: 1, max: 1, sql: ([x]) => `length(CAST(${x} AS VARCHAR))` },
  concat: { min: 1, max: 100, sql: (args) => `concat(${args.map((a) => `CAST(${a} AS VARCHAR)`).join(', ')})` },
  coalesce: { min: 1, max: 100, sql: (args) => `coalesce(${args.join(', ')})` },
  if: { min: 3, max: 3, sql: ([c, a, b]) => `CASE WHEN ${c} THEN ${a} ELSE ${b} END` },
}
export const expressionFunctions = Object.keys(functions)

const keywords: Record<string, 'TRUE' | 'FALSE' | 'NULL'> = { true: 'TRUE', false: 'FALSE', null: 'NULL' }
const compareOps: Record<string, string> = { '=': '=', '!=': '<>', '<>': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' }

class Parser {
  private i = 0
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): Expr {
    const expr = this.or()
    const next = this.peek()
    if (next.kind !== 'end') this.fail(next, `expected an operator or the end, found ${describe(next)}`)
    return expr
  }

  private peek(): Token {
    return this.tokens[this.i]!
  }
  private take(): Token {
    return this.tokens[this.i++]!
  }
  private isOp(op: string): boolean {
    const t = this.peek()
    return t.kind === 'op' && t.op === op
  }
  private isWord(word: string): boolean {
    const t = this.peek()
    return t.kind === 'name' && t.name.toLowerCase() === word
  }
  private fail(token: Token, reason: string): never {
    throw new ExpressionError(reason, token.at, this.source)
  }

  private or(): Expr {
    let left = this.and()
    while (this.isWord('or')) {
      this.take()
      left = { type: 'binary', op: 'OR', left, right: this.and() }
    }
    return left
  }
  private and(): Expr {
    let left = this.not()
    while (this.isWord('and')) {
      this.take()
      left = { type: 'binary', op: 'AND', left, right: this.not() }
    }
    return left
  }
  private not(): Expr {
    if (this.isWord('not')) {
      this.take()
      return { type: 'unary', op: 'NOT', operand: this.not() }
    }
    return this.compare()
  }
  private compare(): Expr {
    const left = this.sum()
    const t = this.peek()
    if (t.kind === 'op' && t.op in compareOps) {
      this.take()
      return { type: 'binary', op: compareOps[t.op]!, left, right: this.sum() }
    }
    return left
  }
  private sum(): Expr {
    let left = this.product()
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.take() as { op: string }).op
      left = { type: 'binary', op, left, right: this.product() }
    }
    return left
  }
  private product(): Expr {
    let left = this.unary()
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = (this.take() as { op: string }).op
      left = { type: 'binary', op, left, right: this.unary() }
    }
    return left
  }
  private unary(): Expr {
    if (this.isOp('-')) {
      this.take()
      return { type: 'unary', op: '-', operand: this.unary() }
    }
    return this.primary()
  }
  private primary(): Expr {
    const t = this.take()
    switch (t.kind) {
      case 'number':
        return { type: 'number', text: t.text }
      case 'string':
        return { type: 'string', value: t.value }
      case 'column':
        return { type: 'column', name: t.name, at: t.at }
      case 'name':
        return this.named(t)
      case 'op':
        if (t.op === '(') {
          const inner = this.or()
          if (!this.isOp(')')) this.fail(this.peek(), `expected ")" to close the "(" at character ${t.at + 1}, found ${describe(this.peek())}`)
          this.take()
          return inner
        }
        return this.fail(t, `expected a number, a column, 'text' or "(", found ${describe(t)}`)
      case 'end':
        return this.fail(t, 'the expression ends too early')
    }
  }
  private named(t: Extract<Token, { kind: 'name' }>): Expr {
    const lower = t.name.toLowerCase()
    if (this.isOp('(')) {
      const fn = functions[lower]
      if (!fn) this.fail(t, `unknown function "${t.name}"; there are ${expressionFunctions.join(', ')}`)
      this.take()
      const args: Expr[] = []
      if (!this.isOp(')')) {
        args.push(this.or())
        while (this.isOp(',')) {
          this.take()
          args.push(this.or())
        }
      }
      if (!this.isOp(')')) this.fail(this.peek(), `expected "," or ")" in the call of ${lower}, found ${describe(this.peek())}`)
      this.take()
      if (args.length < fn.min || args.length > fn.max) {
        const wanted = fn.min === fn.max ? `${fn.min}` : fn.max >= 100 ? `at least ${fn.min}` : `${fn.min} or ${fn.max}`
        this.fail(t, `${lower} takes ${wanted} ${fn.max === 1 ? 'argument' : 'arguments'}, not ${args.length}`)
      }
      return { type: 'call', name: lower, args }
    }
    const keyword = keywords[lower]
    if (keyword) return { type: 'literal', value: keyword }
    if (lower === 'and' || lower === 'or' || lower === 'not') this.fail(t, `"${t.name}" needs a value on each side`)
    return { type: 'column', name: t.name, at: t.at }
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'number':
      return t.text
    case 'string':
      return `'${t.value}'`
    case 'column':
      return `"${t.name}"`
    case 'name':
      return t.name
    case 'op':
      return `"${t.op}"`
    case 'end':
      return 'the end'
  }
}

export function parseExpression(source: string): Expr {
  return new Parser(tokenize(source), source).parse()
}

/** The columns an expression names, with where each is named. */
export function referencedColumns(expr: Expr): { name: string; at: number }[] {
  switch (expr.type) {
    case 'column':
      return [{ name: expr.name, at: expr.at }]
    case 'unary':
      return referencedColumns(expr.operand)
    case 'binary':
      return [...referencedColumns(expr.left), ...referencedColumns(expr.right)]
    case 'call':
      return expr.args.flatMap(referencedColumns)
    default:
      return []
  }
}

/** DuckDB SQL for a parsed expression, fully parenthesised so precedence is the parser's. */
export function expressionSql(expr: Expr): string {
  switch (expr.type) {
    case 'number':
      return expr.text
    case 'string':
      return quoteLiteral(expr.value)
    case 'literal':
      return expr.value
    case 'column':
      return quoteIdent(expr.name)
    case 'unary':
      return expr.op === '-' ? `(- ${expressionSql(expr.operand)})` : `(NOT ${expressionSql(expr.operand)})`
    case 'binary':
      return `(${expressionSql(expr.left)} ${expr.op} ${expressionSql(expr.right)})`
    case 'call':
      return functions[expr.name]!.sql(expr.args.map(expressionSql))
  }
}
