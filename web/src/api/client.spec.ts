import { afterEach, describe, expect, it, vi } from 'vitest'
import { adoptTokens, api, ApiError, forgetTokens, signedIn } from './client'

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

describe('the API client', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    forgetTokens()
  })

  it('sends the bearer token, the language and the Idempotency-Key', async () => {
    const fetch = vi.fn().mockResolvedValue(answer(201, { id: 'u1' }))
    vi.stubGlobal('fetch', fetch)
    adoptTokens({ access_token: 'A1', refresh_token: 'R1' })
    await api.post('/org/units', { name: '9幢' }, { idempotencyKey: 'k-1' })
    const [url, init] = fetch.mock.calls[0]
    expect(url).toBe('/api/v1/org/units')
    expect(init.headers.Authorization).toBe('Bearer A1')
    expect(init.headers['Idempotency-Key']).toBe('k-1')
    expect(init.headers['Accept-Language']).toBe('zh-CN')
    expect(JSON.parse(init.body)).toEqual({ name: '9幢' })
  })

  it('refreshes once on a 401 and repeats the request with the new token', async () => {
    const fetch = vi.fn()
      .mockResolvedValueOnce(answer(401, { error: { code: 'unauthenticated', message: '您的权限已变更，请刷新令牌。' } }))
      .mockResolvedValueOnce(answer(200, { access_token: 'A2', refresh_token: 'R2' }))
      .mockResolvedValueOnce(answer(200, { roles: ['resident'] }))
    vi.stubGlobal('fetch', fetch)
    adoptTokens({ access_token: 'A1', refresh_token: 'R1' })
    expect(await api.get('/me')).toEqual({ roles: ['resident'] })
    expect(JSON.parse(fetch.mock.calls[1][1].body)).toEqual({ refresh_token: 'R1' })
    expect(fetch.mock.calls[2][1].headers.Authorization).toBe('Bearer A2')
  })

  it('turns the error envelope into an ApiError naming the fields', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(answer(422, { error: {
      code: 'validation_failed', message: '输入有误。', fields: { name: ['同一楼栋内已有同名房屋。'] } } })))
    const error = (await api.post("/org/units", {}).catch((e: unknown) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(422)
    expect(error.fields).toEqual({ name: ['同一楼栋内已有同名房屋。'] })
  })

  it('forgets the tokens when the session has ended', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(answer(401, { error: { code: 'unauthenticated', message: 'x' } })))
    adoptTokens({ access_token: 'A1', refresh_token: 'R1' })
    await api.get('/me').catch(() => undefined)
    expect(signedIn()).toBe(false)
  })
})

describe('the HttpOnly refresh cookie', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    forgetTokens()
  })

  it('refreshes with an empty body when no refresh token is in memory (the cookie carries it)', async () => {
    const fetch = vi.fn()
      .mockResolvedValueOnce(answer(401, { error: { code: 'unauthenticated', message: 'x' } }))
      .mockResolvedValueOnce(answer(200, { access_token: 'A2' }))
      .mockResolvedValueOnce(answer(200, { ok: true }))
    vi.stubGlobal('fetch', fetch)
    adoptTokens({ access_token: 'A1' })
    expect(await api.get('/me')).toEqual({ ok: true })
    const [, init] = fetch.mock.calls[1]
    expect(JSON.parse(init.body)).toEqual({})
    expect(init.headers['X-Requested-With']).toBe('fazhi-web')
    expect(init.credentials).toBe('same-origin')
  })
})
