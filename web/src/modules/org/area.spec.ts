import { describe, expect, it } from 'vitest'
import { splitNames, toHundredths, toSquareMetres } from './area'

describe('areas in m² for people, 0.01 m² for the API', () => {
  it('converts both ways without floating-point drift', () => {
    expect(toHundredths('89.35')).toBe(8935)
    expect(toHundredths('0.1')).toBe(10)
    expect(toHundredths('１２０．５')).toBe(12050)
    expect(toHundredths('100')).toBe(10000)
    expect(toHundredths('  ')).toBeNull()
    expect(toHundredths('1.234')).toBeNaN()
    expect(toHundredths('-3')).toBeNaN()
    expect(toSquareMetres(8935)).toBe('89.35')
    expect(toSquareMetres(null)).toBe('')
  })
  it('splits unit names typed together', () => {
    expect(splitNames('101 102，103、201;201')).toEqual(['101', '102', '103', '201'])
    expect(splitNames('  ')).toEqual([])
  })
})
