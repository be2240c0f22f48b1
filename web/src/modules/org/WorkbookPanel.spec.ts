import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { i18n } from '@/i18n'
import en from './i18n/en'
import zh from './i18n/zh-CN'
import WorkbookPanel from './WorkbookPanel.vue'

i18n.global.mergeLocaleMessage('zh-CN', { org: zh })
i18n.global.mergeLocaleMessage('en', { org: en })

function answer(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}
const job = (over: object) => ({ id: 'j1', compound_id: 'c1', filename: '阳光花园.xlsx', status: 'running', total_rows: 400,
  processed_rows: 0, imported: 0, unchanged: 0, errors: [], ...over })

describe('the workbook import', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('shows a progress bar while the job runs, then the rows it refused', async () => {
    vi.useFakeTimers()
    const polls = [job({ processed_rows: 200 }), job({ status: 'done', processed_rows: 400, imported: 399,
      errors: [{ row: 12, reason_zh: '第12行：登记面积不是有效数字', reason_en: 'Row 12: the registered area is not a number' }] })]
    const fetch = vi.fn((url: string, init: RequestInit) => {
      if (url.startsWith('/api/v1/org/compounds/c1/imports') && init.method === 'GET') {
        return Promise.resolve(answer({ items: [], next_cursor: null }))       // past imports
      }
      if (init.method === 'POST') return Promise.resolve(answer(job({}), 202))
      return Promise.resolve(answer(polls.shift()))
    })
    vi.stubGlobal('fetch', fetch)
    const panel = mount(WorkbookPanel, { props: { compoundId: 'c1' }, global: { plugins: [i18n] } })
    const input = panel.find('input[type=file]')
    Object.defineProperty(input.element, 'files', { value: [new File(['x'], '阳光花园.xlsx')] })
    await input.trigger('change')
    await panel.findAll('button').find((b) => b.text() === '开始导入')!.trigger('click')
    await flushPromises()
    const upload = fetch.mock.calls.find(([, init]) => init.method === 'POST')!
    expect(upload[0]).toBe('/api/v1/org/compounds/c1/imports')
    expect((upload[1].headers as Record<string, string>)['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/)
    expect(panel.text()).toContain('正在导入')
    expect(panel.find('.el-progress').exists()).toBe(true)
    expect(panel.text()).toContain('50%')
    await vi.advanceTimersByTimeAsync(500)
    await flushPromises()
    expect(panel.text()).toContain('导入完成')
    expect(panel.text()).toContain('第12行：登记面积不是有效数字')
    expect(panel.text()).toContain('100%')
  })
})
