// The three shares as people read them: "2/3 (66.7%)", and a share's value for a chart.
import type { Fraction } from './types'

export function ratio(f: Fraction | undefined | null): number | null {
  if (!f || !f.denominator) return null
  return f.numerator / f.denominator
}

export function shareText(f: Fraction | undefined | null): string {
  if (!f) return '—'
  const r = ratio(f)
  return r === null ? `${f.numerator}/${f.denominator}` : `${f.numerator}/${f.denominator}（${(r * 100).toFixed(1)}%）`
}

/** A percentage with one decimal for a chart (null: nothing concluded). */
export function percent(f: Fraction | undefined | null): number | null {
  const r = ratio(f)
  return r === null ? null : Math.round(r * 1000) / 10
}

/** The months from `from` to `to` (YYYY-MM), both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = []
  let [y, m] = from.split('-').map(Number)
  const [ty, tm] = to.split('-').map(Number)
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`)
    m += 1
    if (m > 12) { m = 1; y += 1 }
  }
  return out
}

/** The month `n` months before `month` (YYYY-MM). */
export function monthsBack(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number)
  const index = y * 12 + (m - 1) - n
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}
