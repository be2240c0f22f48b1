import { beforeEach, describe, expect, it } from 'vitest'
import { dropDraft, loadDraft, saveDraft, scrub } from './drafts'

describe('form drafts', () => {
  beforeEach(() => localStorage.clear())
  it('never keep ID numbers, phones, passwords or codes', () => {
    saveDraft('f', { name: '张三', phone: '13800001111', id_number: '110101199003074258', password: 'x', code: '123456',
      owner: { name: '李四', phone: '13900002222' } })
    const raw = localStorage.getItem('fazhi.draft.f') ?? ''
    expect(raw).not.toMatch(/1380000|1390000|110101|123456|"password"/)
    expect(loadDraft<{ name: string; owner: { name: string } }>('f')?.data).toEqual({ name: '张三', owner: { name: '李四' } })
    expect(scrub({ credit_code: 'x', a: 1 })).toEqual({ a: 1 })
  })
  it('keep one Idempotency-Key per pending write until it is dropped', () => {
    const key = saveDraft('g', { name: 'a' })
    expect(saveDraft('g', { name: 'ab' })).toBe(key)
    dropDraft('g')
    expect(loadDraft('g')).toBeNull()
    expect(saveDraft('g', { name: 'a' })).not.toBe(key)
  })
})
