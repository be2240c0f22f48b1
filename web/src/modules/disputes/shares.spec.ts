import { describe, expect, it } from 'vitest'
import { monthsBack, monthsBetween, percent, ratio, shareText } from './shares'

describe('the three shares as shown', () => {
  it('reads numerator and denominator, never dividing by zero', () => {
    expect(shareText({ numerator: 2, denominator: 3 })).toBe('2/3（66.7%）')
    expect(shareText({ numerator: 0, denominator: 0 })).toBe('0/0')
    expect(shareText(null)).toBe('—')
    expect(ratio({ numerator: 0, denominator: 0 })).toBeNull()
    expect(percent({ numerator: 1, denominator: 5 })).toBe(20)
    expect(percent({ numerator: 2, denominator: 3 })).toBe(66.7)
  })
  it('counts months across a year end', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02'])
    expect(monthsBetween('2026-03', '2026-03')).toEqual(['2026-03'])
    expect(monthsBetween('2026-04', '2026-03')).toEqual([])
    expect(monthsBack('2026-01', 1)).toBe('2025-12')
    expect(monthsBack('2026-12', 11)).toBe('2026-01')
    expect(monthsBack('2026-12', 12)).toBe('2025-12')
  })
})
