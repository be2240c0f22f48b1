// The unit the staff member is working on (street, community or compound), picked by
// name in the header; pages such as the coverage report start from it.
import { reactive } from 'vue'

export interface Scope { id: string; kind: string; name: string; path: string }
export const scope = reactive<{ current: Scope | null }>({ current: null })

export function setScope(unit: Scope | null): void {
  scope.current = unit
}
