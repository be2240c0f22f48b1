import { describe, expect, it } from 'vitest'
import { compoundOf, m2 } from './area'

describe('areas in 0.01 m²', () => {
  it('shows two exact decimals', () => {
    expect(m2(893500)).toBe('8935.00 ㎡')
    expect(m2(8935)).toBe('89.35 ㎡')
    expect(m2(5)).toBe('0.05 ㎡')
    expect(m2(null)).toBe('0.00 ㎡')
  })
  it('finds the compound of a unit path', () => {
    expect(compoundOf('/c/s/m/cp/b/u')).toBe('cp')
    expect(compoundOf('/c/s')).toBeNull()
  })
})
