// Pages per service, discovered at build time: every src/modules/<service>/index.ts
// default-exports a WebModule; the shell mounts its routes under the console layout, adds
// its menu entries for the roles it names, and merges its labels. A service team adds
// pages without editing the shell.
import type { RouteRecordRaw } from 'vue-router'
import type { Messages } from '@/i18n'

export interface MenuEntry {
  /** Route path under the console, e.g. "/coverage". */
  path: string
  /** i18n key of its label. */
  label: string
  /** Roles that see the entry (any of them); none: every staff role. */
  roles?: string[]
  order?: number
  /** An icon name of the module's choosing (shown as its first letter when absent). */
  icon?: string
}

export interface WebModule {
  /** The service whose API the pages use (its vocabularies are loaded at start). */
  service: string
  routes: RouteRecordRaw[]
  menu: MenuEntry[]
  messages: { 'zh-CN': Messages; en: Messages }
}

export function defineModule(module: WebModule): WebModule {
  return module
}

const found = import.meta.glob<{ default: WebModule }>('../modules/*/index.ts', { eager: true })

export const modules: WebModule[] = Object.keys(found).sort().map((k) => found[k].default)

export function menuFor(roles: Set<string>, all: WebModule[] = modules): MenuEntry[] {
  return all
    .flatMap((m) => m.menu)
    .filter((e) => !e.roles || e.roles.some((r) => roles.has(r)))
    .sort((a, b) => (a.order ?? 100) - (b.order ?? 100))
}
