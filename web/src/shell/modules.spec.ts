import { describe, expect, it } from 'vitest'
import { defineModule, menuFor, modules } from './modules'

describe('pages per service', () => {
  it('are discovered from src/modules/*/index.ts', () => {
    const paths = modules.flatMap((m) => m.routes.map((r) => r.path))
    expect(paths).toContain('compounds/:id')
    expect(paths).toContain('admin/sessions')
  })

  it('show menu entries only to the roles they name, in order', () => {
    const extra = defineModule({ service: 'x', routes: [], messages: { 'zh-CN': {}, en: {} },
      menu: [{ path: '/b', label: 'b', order: 2 }, { path: '/a', label: 'a', roles: ['auditor'], order: 1 }] })
    expect(menuFor(new Set(['grid_worker']), [extra]).map((e) => e.path)).toEqual(['/b'])
    expect(menuFor(new Set(['auditor']), [extra]).map((e) => e.path)).toEqual(['/a', '/b'])
    expect(menuFor(new Set(['volunteer'])).map((e) => e.path)).not.toContain('/claims')
    expect(menuFor(new Set(['community_worker'])).map((e) => e.path)).toContain('/claims')
  })
})
