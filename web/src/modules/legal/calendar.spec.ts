import { describe, expect, it } from 'vitest'
import { byDay, compoundOf, counts, hhmm, local } from './calendar'
import type { Shift } from './types'

function shift(id: string, starts: string, name = '钱律师'): Shift {
  return { id, roster_id: 'r', helper_id: name, helper_name: name, helper_kind: 'lawyer', starts_at: starts,
    ends_at: starts, part: 'morning', capacity: 4, booked: 0, version: 1 }
}

describe('legal roster calendar', () => {
  it('reads times in Asia/Shanghai whatever the zone of the browser', () => {
    expect(local('2026-12-07T01:00:00+00:00')).toEqual({ day: '2026-12-07', hour: 9, minute: 0, weekday: 0 })
    expect(local('2026-12-06T17:30:00Z').day).toBe('2026-12-07')       // 01:30 the next day
    expect(hhmm('2026-12-07T06:00:00+00:00')).toBe('14:00')
  })

  it('lays shifts out by day and half-day, in order', () => {
    const rows = byDay([shift('c', '2026-12-08T01:00:00Z'), shift('b', '2026-12-07T06:00:00Z', '孙律师'),
      shift('a', '2026-12-07T01:00:00Z')])
    expect(rows.map((r) => r.day)).toEqual(['2026-12-07', '2026-12-08'])
    expect(rows[0].morning.map((s) => s.id)).toEqual(['a'])
    expect(rows[0].afternoon.map((s) => s.id)).toEqual(['b'])
    expect(rows[1].weekday).toBe(1)
  })

  it('counts shifts per helper, most first', () => {
    expect(counts([shift('a', 'x', '乙'), shift('b', 'x', '甲'), shift('c', 'x', '乙')]))
      .toEqual([{ name: '乙', shifts: 2 }, { name: '甲', shifts: 1 }])
  })

  it('finds the compound in a unit path', () => {
    expect(compoundOf('/c/s/m/k/b/u')).toBe('k')
    expect(compoundOf('/c/s/m')).toBeNull()
  })
})
