import { describe, expect, it } from 'vitest'
import { defineH5Module, tilesOf } from './modules'

const messages = { 'zh-CN': {}, en: {} }

describe('phone modules', () => {
  it('orders every module\'s tiles by their order, unordered last', () => {
    const a = defineH5Module({ service: 'a', routes: [], messages,
      tiles: [{ path: '/a/x', label: 'a.x', icon: 'x' }, { path: '/a/y', label: 'a.y', icon: 'y', order: 5 }] })
    const b = defineH5Module({ service: 'b', routes: [], messages,
      tiles: [{ path: '/b/z', label: 'b.z', icon: 'z', order: 1 }] })
    expect(tilesOf([a, b]).map((t) => t.path)).toEqual(['/b/z', '/a/y', '/a/x'])
  })
  it('has no tiles without modules', () => {
    expect(tilesOf([])).toEqual([])
  })
})
