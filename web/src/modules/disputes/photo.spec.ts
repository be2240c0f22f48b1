import { describe, expect, it } from 'vitest'
import { fitWithin, MAX_SIDE } from './photo'

describe('a photo is made small before upload', () => {
  it('keeps small photos as they are', () => {
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 })
    expect(fitWithin(MAX_SIDE, 10)).toEqual({ width: MAX_SIDE, height: 10 })
  })
  it('scales the long side down to the limit, keeping the shape', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: 1600, height: 1200 })
    expect(fitWithin(3000, 4000)).toEqual({ width: 1200, height: 1600 })
    expect(fitWithin(10000, 1)).toEqual({ width: 1600, height: 1 })
  })
})
