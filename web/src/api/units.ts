// Unit names for breadcrumbs and pickers. A unit's path is made of ids
// (/<city>/<street>/<community>/<compound>/<building>/<unit>); when the API gives the
// ancestors' names with a unit (`ancestors: [{id, kind, name}]`) they are used, otherwise
// each ancestor is fetched once (a unit above the caller's grants is a 404: left out).
import { reactive } from 'vue'
import { api, ApiError, type Unit } from './client'

export interface UnitName { id: string; kind: string; name: string }

const known = reactive<Record<string, UnitName>>({})
const inflight: Record<string, Promise<UnitName | null>> = {}

export function remember(unit: { id?: string; kind?: string; name?: string } & Record<string, unknown>): void {
  if (unit.id && unit.name) known[unit.id] = { id: unit.id, kind: unit.kind ?? '', name: unit.name }
  const ancestors = unit.ancestors as UnitName[] | undefined
  for (const a of ancestors ?? []) if (a?.id && a?.name) known[a.id] = a
}

export function nameOf(id: string): string | undefined {
  return known[id]?.name
}

export function pathIds(path: string | undefined | null): string[] {
  return (path ?? '').split('/').filter(Boolean)
}

export async function getUnit(id: string): Promise<Unit> {
  const unit = await api.get<Unit>(`/org/units/${id}`)
  remember(unit as never)
  return unit
}

export function unitName(id: string): Promise<UnitName | null> {
  if (known[id]) return Promise.resolve(known[id])
  if (!(id in inflight)) {
    inflight[id] = getUnit(id).then((u) => known[u.id!] ?? null).catch((e) => {
      if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return null
      delete inflight[id]
      throw e
    })
  }
  return inflight[id]
}

/** The named chain of a unit path, root first (units the caller may not see left out). */
export async function chain(path: string): Promise<UnitName[]> {
  const names = await Promise.all(pathIds(path).map((id) => unitName(id)))
  return names.filter((n): n is UnitName => n !== null)
}
