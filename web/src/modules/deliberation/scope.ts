// The compound a deliberation page works in: the header's pick, or ?unit=<id> (a bookmark,
// a browser test) adopted as if picked. The page reloads when it changes.
import { watch } from 'vue'
import { useRoute } from 'vue-router'
import { api, type Unit } from '@/api/client'
import { setCrumbs } from '@/shell/crumbs'
import { showError } from '@/shell/errors'
import { scope, setScope } from '@/shell/scope'

export function followCompound(title: () => string, load: () => Promise<void>): void {
  const route = useRoute()
  const id = route.query.unit
  if (typeof id === 'string' && scope.current?.id !== id) {
    api.get<Unit>(`/org/units/${id}`)
      .then((u) => setScope({ id: u.id!, kind: u.kind!, name: u.name!, path: u.path! }))
      .catch(showError)
  }
  watch(() => scope.current?.id, () => {
    setCrumbs([{ label: title() }, ...(scope.current ? [{ label: scope.current.name }] : [])])
    return load()
  }, { immediate: true })
}

export function compoundInScope(): string | null {
  return scope.current?.kind === 'compound' ? scope.current.id : null
}
