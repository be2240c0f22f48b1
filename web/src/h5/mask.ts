/** A phone shown without its middle digits (138****5678), whatever the API sent. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return ''
  const digits = phone.replace(/\s+/g, '')
  if (digits.includes('*')) return digits
  return digits.length >= 11 ? `${digits.slice(0, -8)}****${digits.slice(-4)}` : `${'*'.repeat(Math.max(digits.length - 2, 0))}${digits.slice(-2)}`
}
