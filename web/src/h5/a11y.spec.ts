import { describe, expect, it } from 'vitest'
import { toastsAsStatus } from './a11y'

describe('toasts', () => {
  it('become named status messages, not nameless dialogs', async () => {
    const root = document.createElement('div')
    document.body.appendChild(root)
    toastsAsStatus(root)
    root.innerHTML = '<div class="van-popup van-toast" role="dialog" aria-modal="true">验证码已发送</div>'
    await new Promise((r) => setTimeout(r, 0))
    const toast = root.querySelector('.van-toast')!
    expect(toast.getAttribute('role')).toBe('status')
    expect(toast.hasAttribute('aria-modal')).toBe(false)
  })
})
