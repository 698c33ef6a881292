'use client'

import { ArrowDown, ArrowUp, ChevronDown, ChevronRight, Plus, Trash2 } from 'lucide-react'
import { useId, useState, type ReactNode } from 'react'
import { listMoved, listWithout, pathKey, type Path } from './config-path'
import { FieldErrors, FieldShell } from './field-shell'
import { defaultFor, type ObjectListSpec } from './field-spec'
import { useForm, useIssueCountUnder } from './form-context'
import { itemSummary, singular } from './labels'
import type { FieldProps } from './scalar-fields'
import { cardClass, iconButtonClass, secondaryButtonClass } from './styles'

interface ObjectListFieldProps extends FieldProps<ObjectListSpec> {
  /** the fields of one item; passed in so this file need not know every field kind */
  renderItem(item: unknown, path: Path): ReactNode
}

/** A list of objects (rules, column expectations) as collapsible cards that can be reordered. */
export function ObjectListField(props: ObjectListFieldProps) {
  const { path, value, spec, label, help, fallback, renderItem } = props
  const { change, disabled } = useForm()
  // collapsed flags by position; moved along with their items so a card keeps its state
  const [collapsed, setCollapsed] = useState<boolean[]>([])
  const items: unknown[] = Array.isArray(value) ? value : Array.isArray(fallback) ? fallback : []
  const itemLabel = singular(label)
  const full = spec.maxItems !== undefined && items.length >= spec.maxItems

  const add = () => change(path, [...items, defaultFor(spec.item)])
  const remove = (i: number) => {
    setCollapsed((c) => listWithout(c, i))
    change(path, listWithout(items, i))
  }
  const move = (from: number, to: number) => {
    setCollapsed((c) => listMoved(Array.from({ length: items.length }, (_, k) => c[k] ?? false), from, to))
    change(path, listMoved(items, from, to))
  }
  const toggle = (i: number) =>
    setCollapsed((c) => Array.from({ length: Math.max(c.length, i + 1) }, (_, k) => (k === i ? !c[k] : (c[k] ?? false))))

  return (
    <FieldShell path={path} label={label} help={help} optional={!props.required && fallback === undefined} layout="group">
      {() => (
        <div className="space-y-2">
          {items.length === 0 ? <p className="text-xs text-zinc-500 italic dark:text-zinc-400">None yet</p> : null}
          <ol className="space-y-2">
            {items.map((item, i) => (
              <ItemCard
                key={i}
                path={[...path, i]}
                title={`${itemLabel} ${i + 1}`}
                summary={itemSummary(item, spec.item)}
                collapsed={collapsed[i] ?? false}
                isFirst={i === 0}
                isLast={i === items.length - 1}
                disabled={disabled}
                onToggle={() => toggle(i)}
                onMove={(by) => move(i, i + by)}
                onRemove={() => remove(i)}
              >
                {renderItem(item, [...path, i])}
              </ItemCard>
            ))}
          </ol>
          <button type="button" className={`${secondaryButtonClass} text-xs`} disabled={disabled || full} onClick={add}>
            <Plus className="size-3.5" aria-hidden />
            Add {itemLabel.toLowerCase()}
          </button>
        </div>
      )}
    </FieldShell>
  )
}

interface ItemCardProps {
  path: Path
  /** "Rule 2": names the card's buttons for screen readers */
  title: string
  summary: string
  collapsed: boolean
  isFirst: boolean
  isLast: boolean
  disabled: boolean
  onToggle(): void
  onMove(by: -1 | 1): void
  onRemove(): void
  children: ReactNode
}

function ItemCard({ path, title, summary, collapsed, isFirst, isLast, disabled, onToggle, onMove, onRemove, children }: ItemCardProps) {
  const bodyId = useId()
  const problems = useIssueCountUnder(path)
  const Chevron = collapsed ? ChevronRight : ChevronDown
  const name = title.toLowerCase()
  return (
    <li data-field={pathKey(path)} className={cardClass}>
      <div className="flex items-center gap-1 px-2 py-1.5">
        <button
          type="button"
          className="flex min-w-0 flex-1 items-center gap-1.5 rounded text-left text-sm"
          aria-expanded={!collapsed}
          aria-controls={bodyId}
          onClick={onToggle}
        >
          <Chevron className="size-4 shrink-0 text-zinc-400" aria-hidden />
          <span className="shrink-0 text-xs text-zinc-400 tabular-nums dark:text-zinc-500">{title}</span>
          <span className="truncate font-mono text-zinc-800 dark:text-zinc-100">{summary || '(new)'}</span>
          {problems > 0 ? (
            <span className="ml-auto shrink-0 rounded-full bg-red-50 px-1.5 text-[11px] font-medium text-red-700 dark:bg-red-950 dark:text-red-300">
              {problems === 1 ? '1 problem' : `${problems} problems`}
            </span>
          ) : null}
        </button>
        <button type="button" className={iconButtonClass} aria-label={`Move ${name} up`} title="Move up" disabled={disabled || isFirst} onClick={() => onMove(-1)}>
          <ArrowUp className="size-4" aria-hidden />
        </button>
        <button type="button" className={iconButtonClass} aria-label={`Move ${name} down`} title="Move down" disabled={disabled || isLast} onClick={() => onMove(1)}>
          <ArrowDown className="size-4" aria-hidden />
        </button>
        <button type="button" className={`${iconButtonClass} hover:text-red-700 dark:hover:text-red-400`} aria-label={`Remove ${name}`} title="Remove" disabled={disabled} onClick={onRemove}>
          <Trash2 className="size-4" aria-hidden />
        </button>
      </div>
      {/* hidden rather than unmounted: a half-typed number in a collapsed card survives */}
      <div id={bodyId} hidden={collapsed} className="space-y-3 border-t border-zinc-100 px-3 pt-2 pb-3 dark:border-zinc-800">
        <FieldErrors path={path} />
        {children}
      </div>
    </li>
  )
}
