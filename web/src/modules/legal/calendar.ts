// Shifts laid out as a calendar: a row per day (local, Asia/Shanghai), a column per
// half-day. Pure, so it is tested beside it.
import type { Shift } from './types'

export interface DayRow { day: string; weekday: number; morning: Shift[]; afternoon: Shift[] }

const SHANGHAI = 8 * 60 * 60 * 1000

/** The Asia/Shanghai date (YYYY-MM-DD) and hour of an ISO time, whatever the browser's zone. */
export function local(iso: string): { day: string; hour: number; minute: number; weekday: number } {
  const d = new Date(new Date(iso).getTime() + SHANGHAI)
  return { day: d.toISOString().slice(0, 10), hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: (d.getUTCDay() + 6) % 7 }
}

export function hhmm(iso: string): string {
  const t = local(iso)
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`
}

export function byDay(shifts: Shift[]): DayRow[] {
  const rows = new Map<string, DayRow>()
  for (const s of [...shifts].sort((a, b) => a.starts_at.localeCompare(b.starts_at))) {
    const t = local(s.starts_at)
    const row = rows.get(t.day) ?? { day: t.day, weekday: t.weekday, morning: [], afternoon: [] }
    ;(t.hour < 12 ? row.morning : row.afternoon).push(s)
    rows.set(t.day, row)
  }
  return [...rows.values()].sort((a, b) => a.day.localeCompare(b.day))
}

/** Shifts per helper name, most first. */
export function counts(shifts: Shift[]): { name: string; shifts: number }[] {
  const m = new Map<string, number>()
  for (const s of shifts) m.set(s.helper_name, (m.get(s.helper_name) ?? 0) + 1)
  return [...m.entries()].map(([name, n]) => ({ name, shifts: n })).sort((a, b) => b.shifts - a.shifts || a.name.localeCompare(b.name))
}

/** The compound id in a unit path (/city/street/community/compound/...), if any. */
export function compoundOf(path: string): string | null {
  return path.split('/').filter(Boolean)[3] ?? null
}
