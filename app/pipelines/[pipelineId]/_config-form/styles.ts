/** Class lists shared by the form's controls: the app's utilities plus dark-mode variants. */

export const inputClass =
  'input aria-invalid:border-red-400 aria-invalid:ring-red-100 disabled:bg-zinc-100 disabled:text-zinc-500 ' +
  'dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500 ' +
  'dark:focus:ring-accent-500/30 dark:disabled:bg-zinc-800 dark:aria-invalid:border-red-500'

export const labelClass = 'block text-sm font-medium text-zinc-700 dark:text-zinc-200'

export const helpClass = 'mt-1 text-xs text-zinc-500 dark:text-zinc-400'

export const errorClass = 'mt-1 text-sm text-red-600 dark:text-red-400'

export const warningClass = 'mt-1 text-xs text-amber-700 dark:text-amber-400'

export const secondaryButtonClass =
  'btn-secondary dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-700'

export const iconButtonClass =
  'rounded p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 disabled:cursor-not-allowed disabled:opacity-40 ' +
  'dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100'

export const cardClass = 'card dark:border-zinc-700 dark:bg-zinc-900'
