/** "512 B", "8 MiB", "1.5 GiB": sizes in step messages and logs, exact when whole. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = -1
  do {
    value /= 1024
    unit++
  } while (value >= 1024 && unit < units.length - 1)
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`
}
