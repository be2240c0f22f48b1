import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { forgetTokens } from '@/api/client'
import { i18n } from '@/i18n'
import LoginPage from './LoginPage.vue'

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

async function page() {
  const router = createRouter({ history: createMemoryHistory(), routes: [
    { path: '/login', component: LoginPage }, { path: '/', component: { template: '<p>home</p>' } }] })
  await router.push('/login')
  const wrapper = mount(LoginPage, { global: { plugins: [i18n, router] } })
  return { wrapper, router }
}

describe('the login page', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    forgetTokens()
  })

  it('asks for both fields before calling the API', async () => {
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    const { wrapper } = await page()
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    // Both items are marked wrong (Element Plus shows the message under each in a browser;
    // the browser test sees them), and nothing was sent.
    expect(wrapper.findAll('.el-form-item.is-error')).toHaveLength(2)
    expect(fetch).not.toHaveBeenCalled()
  })

  it('shows the API\'s refusal and forgets the typed password', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(answer(401, { error: { code: 'unauthenticated', message: '用户名或密码错误。' } })))
    const { wrapper } = await page()
    await wrapper.find('#login-username').setValue('street_admin')
    await wrapper.find('#login-password').setValue('wrong-password')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.text()).toContain('用户名或密码错误。')
    expect((wrapper.find('#login-password').element as HTMLInputElement).value).toBe('')
  })

  it('refuses an account without a staff role (a resident) and signs it out', async () => {
    const fetch = vi.fn()
      .mockResolvedValueOnce(answer(200, { access_token: 'A', account: { username: '13700001234' } }))
      .mockResolvedValueOnce(answer(200, { roles: ['resident'], grants: [{ role: 'resident', path: '/a/b' }] }))
      .mockResolvedValueOnce(new Response(null, { status: 204 }))
    vi.stubGlobal('fetch', fetch)
    const { wrapper, router } = await page()
    await wrapper.find('#login-username').setValue('13700001234')
    await wrapper.find('#login-password').setValue('Zhuhu2026!')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.text()).toContain('您无权访问此页面。')
    expect(fetch.mock.calls[2][0]).toBe('/api/v1/auth/logout')
    expect(router.currentRoute.value.path).toBe('/login')
  })
})
