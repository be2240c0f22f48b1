// Areas: the API counts in 0.01 m² (integers); people read and type square metres.
export function toSquareMetres(hundredths: number | null | undefined): string {
  if (hundredths === null || hundredths === undefined) return ''
  return (hundredths / 100).toFixed(2)
}

/** "89.35" → 8935; "" → null; not a number or more than 2 decimals → NaN. */
export function toHundredths(text: string): number | null {
  const s = text.trim().replace(/，/g, '.').replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
  if (s === '') return null
  if (!/^[0-9]+(\.[0-9]{1,2})?$/.test(s)) return NaN
  const [whole, frac = ''] = s.split('.')
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2))
}

/** Unit names typed as "101 102，103、201" → ["101","102","103","201"]. */
export function splitNames(text: string): string[] {
  return [...new Set(text.split(/[\s,，、;；]+/).map((s) => s.trim()).filter(Boolean))]
}
