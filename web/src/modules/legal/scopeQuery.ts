// The scope a legal page works in: the unit picked in the header, or the one a link names
// (?unit=<id>: a bookmark, a browser test), taken as if picked. The page reloads on change.
import { watch } from 'vue'
import { useRoute, type RouteLocationNormalizedLoaded } from 'vue-router'
import { api, type Unit } from '@/api/client'
import { setCrumbs } from '@/shell/crumbs'
import { showError } from '@/shell/errors'
import { scope, setScope } from '@/shell/scope'

export async function adoptUnitFromQuery(route: RouteLocationNormalizedLoaded): Promise<void> {
  const id = route.query.unit
  if (typeof id !== 'string' || scope.current?.id === id) return
  const unit = await api.get<Unit>(`/org/units/${id}`)
  setScope({ id: unit.id!, kind: unit.kind!, name: unit.name!, path: unit.path! })
}

/** Call `load` now and whenever the scope changes, with the crumbs `title` › scope. */
export function followScope(title: () => string, load: () => Promise<void>): void {
  adoptUnitFromQuery(useRoute()).catch(showError)
  watch(() => scope.current?.id, () => {
    setCrumbs([{ label: title() }, ...(scope.current ? [{ label: scope.current.name }] : [])])
    return load()
  }, { immediate: true })
}
