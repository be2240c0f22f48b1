// The breadcrumb every console page shows: 首页 / <the page's trail>. Pages set their
// trail (unit names for a unit's page); the layout renders it.
import { reactive } from 'vue'

export interface Crumb { label: string; to?: string }
export const crumbs = reactive<{ trail: Crumb[] }>({ trail: [] })

export function setCrumbs(trail: Crumb[]): void {
  crumbs.trail = trail
}
