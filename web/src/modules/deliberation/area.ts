// Areas travel as integers in 0.01 m² (exact): shown with two decimals, never as floats.
export function m2(area: number | null | undefined): string {
  const v = Math.trunc(area ?? 0)
  const whole = Math.trunc(v / 100)
  const cents = Math.abs(v % 100).toString().padStart(2, '0')
  return `${whole}.${cents} ㎡`
}

/** The compound id of a unit path (/city/street/community/compound/...). */
export function compoundOf(path: string): string | null {
  return path.split('/').filter(Boolean)[3] ?? null
}
