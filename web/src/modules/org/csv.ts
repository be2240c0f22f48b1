// A CSV file Excel opens in Chinese (UTF-8 with BOM); cells that start like a formula are
// written as text (a leading apostrophe), as the platform's .xlsx writer does.
export function toCsv(rows: (string | number | null | undefined)[][]): Blob {
  const cell = (v: string | number | null | undefined): string => {
    let s = v === null || v === undefined ? '' : String(v)
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  const text = rows.map((r) => r.map(cell).join(',')).join('\r\n')
  return new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' })
}
