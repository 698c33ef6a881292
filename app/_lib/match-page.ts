/**
 * The app route a path belongs to: /use-cases/3f…/edit → /use-cases/[useCaseId]/edit. Static segments win
 * over dynamic ones, as in Next.js (/use-cases/new is not a use case id). Pure, so the browser can run it.
 */
export function matchPage(pathname: string, pages: readonly string[]): string | undefined {
  const parts = (pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname).split('/')
  const candidates = pages.filter((page) => {
    const segments = page.split('/')
    return segments.length === parts.length && segments.every((segment, i) => segment.startsWith('[') || segment === parts[i])
  })
  const dynamicCount = (page: string) => page.split('/').filter((s) => s.startsWith('[')).length
  return candidates.sort((a, b) => dynamicCount(a) - dynamicCount(b))[0]
}
