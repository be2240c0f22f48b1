// Phone pages per service, discovered at build time: every src/modules/<service>/h5.ts
// default-exports an H5Module; the phone app adds its routes (under /<service>/…), shows
// its tiles on the home page and merges its labels. A service team adds phone pages
// without editing the phone app.
import type { RouteRecordRaw } from 'vue-router'
import type { Messages } from '@/i18n'

export interface H5Tile {
  /** Route path on the phone pages, e.g. "/legal/duty". */
  path: string
  /** i18n key of its label. */
  label: string
  /** A Vant icon name. */
  icon: string
  order?: number
}

export interface H5Module {
  /** The service whose API the pages use (its vocabularies are loaded at start). */
  service: string
  /** Routes; `meta: { signedIn: true }` for pages that need a resident signed in, none for
   *  public pages (a profile opened from a QR code). */
  routes: RouteRecordRaw[]
  tiles: H5Tile[]
  messages: { 'zh-CN': Messages; en: Messages }
}

export function defineH5Module(module: H5Module): H5Module {
  return module
}

const found = import.meta.glob<{ default: H5Module }>('../modules/*/h5.ts', { eager: true })

export const h5Modules: H5Module[] = Object.keys(found).sort().map((k) => found[k].default)

export function tilesOf(all: H5Module[] = h5Modules): H5Tile[] {
  return all.flatMap((m) => m.tiles).sort((a, b) => (a.order ?? 100) - (b.order ?? 100))
}
