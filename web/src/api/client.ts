// The one way pages talk to the platform: the public REST API under /api/v1 (the one
// mobile apps use). Types come from src/api/schema.d.ts, generated from
// /api/openapi.json (`npm run api:types`), never written by hand.
//
// Tokens: the access token lives in memory only (a reload signs in again, or — once the
// gateway sets its HttpOnly refresh cookie — refreshes through that cookie, which page
// scripts cannot read). Nothing about a session is written to cookies or storage by this
// code, and no password is ever kept.
import type { components } from './schema'

export type Schemas = components['schemas']
export type Unit = Schemas['Unit']
export type TokenPair = Schemas['TokenPair']

export class ApiError extends Error {
  status: number
  code: string
  fields: Record<string, string[]>
  constructor(status: number, code: string, message: string, fields?: Record<string, string[]>) {
    super(message)
    this.status = status
    this.code = code
    this.fields = fields ?? {}
  }
}

type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  query?: Query
  body?: unknown
  form?: FormData
  /** Writes sent exactly once: a retry after a dropped connection carries the same key. */
  idempotencyKey?: string
  /** Answer as a Blob (downloads). */
  blob?: boolean
  /** Do not try a token refresh on 401 (the refresh call itself, the login). */
  noRefresh?: boolean
}

interface Session {
  account: Schemas['Account'] | null // who the last login or refresh answered for
  accessToken: string | null
  refreshToken: string | null // in memory only; replaced by the HttpOnly cookie when it lands
}

const session: Session = { account: null, accessToken: null, refreshToken: null }
let language = 'zh-CN'
let onSignedOut: (() => void) | null = null
let refreshing: Promise<boolean> | null = null

export const API_BASE = '/api/v1'

export function setLanguage(lang: string): void {
  language = lang
}

export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler
}

export function signedIn(): boolean {
  return session.accessToken !== null
}

export function adoptTokens(pair: TokenPair): void {
  session.account = pair.account ?? session.account
  session.accessToken = pair.access_token ?? null
  session.refreshToken = pair.refresh_token ?? null
}

// A marker (no token, no name) that this tab was signed in: after a reload the client
// tries the gateway's HttpOnly refresh cookie once instead of showing the login at once.
const MARKER = 'fazhi.signedIn'
export function markSignedIn(on: boolean): void {
  try {
    if (on) sessionStorage.setItem(MARKER, '1')
    else sessionStorage.removeItem(MARKER)
  } catch { /* no storage: a reload signs in again */ }
}
export function wasSignedIn(): boolean {
  try { return sessionStorage.getItem(MARKER) === '1' } catch { return false }
}

/** The signed-in account as the last login or refresh answered it (name, username). */
export function currentAccount(): Schemas['Account'] | null {
  return session.account
}

export function forgetTokens(): void {
  session.account = null
  session.accessToken = null
  session.refreshToken = null
}

/** A new random key for one write (retries of that write reuse it). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID()
}

function url(path: string, query?: Query): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  }
  const qs = params.toString()
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  // X-Requested-With says "a browser page": the gateway then keeps the refresh token in its
  // HttpOnly cookie only (never in a body a script could read) and refreshes with it; a
  // cross-site form cannot send this header.
  const headers: Record<string, string> = { 'Accept-Language': language, Accept: 'application/json',
    'X-Requested-With': 'fazhi-web' }
  if (session.accessToken) headers.Authorization = `Bearer ${session.accessToken}`
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey
  let body: BodyInit | undefined
  if (opts.form) {
    body = opts.form
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  return fetch(url(path, opts.query), { method, headers, body, credentials: 'same-origin' })
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const payload = await response.json()
    const e = payload?.error ?? {}
    return new ApiError(response.status, e.code ?? 'error', e.message ?? response.statusText, e.fields)
  } catch {
    return new ApiError(response.status, 'error', response.statusText || `HTTP ${response.status}`)
  }
}

/** Refresh the token pair once for every request that met a 401 at the same time. */
export function refresh(): Promise<boolean> {
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const body = session.refreshToken ? { refresh_token: session.refreshToken } : {}
        const r = await send('POST', '/auth/refresh', { body, noRefresh: true })
        if (!r.ok) return false
        adoptTokens(await r.json())
        return true
      } catch {
        return false
      } finally {
        refreshing = null   // callers waiting now hold this promise; later 401s refresh anew
      }
    })()
  }
  return refreshing
}

export async function request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let response = await send(method, path, opts)
  if (response.status === 401 && !opts.noRefresh && (session.refreshToken || session.accessToken)) {
    // A refresh token in memory, or the gateway's HttpOnly cookie (sent by the browser).
    if (await refresh()) response = await send(method, path, opts)
  }
  if (response.status === 401 && !opts.noRefresh) {
    forgetTokens()
    onSignedOut?.()
  }
  if (!response.ok) throw await errorOf(response)
  if (opts.blob) return (await response.blob()) as T
  if (response.status === 204) return undefined as T
  const type = response.headers.get('Content-Type') ?? ''
  return (type.includes('json') ? await response.json() : await response.text()) as T
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    request<T>('PUT', path, { ...opts, body }),
  del: <T>(path: string, opts: RequestOptions = {}) => request<T>('DELETE', path, opts),
  upload: <T>(path: string, form: FormData, opts: RequestOptions = {}) =>
    request<T>('POST', path, { ...opts, form }),
  download: (path: string, query?: Query) => request<Blob>('GET', path, { query, blob: true }),
}

/** Every page of a keyset-paginated list (`{items, next_cursor}`), up to `max` items. */
export async function allPages<T>(path: string, query: Query = {}, max = 2000): Promise<T[]> {
  const items: T[] = []
  let cursor: string | null | undefined
  do {
    const page = await api.get<{ items: T[]; next_cursor?: string | null }>(path, { ...query, limit: 200, cursor })
    items.push(...(page.items ?? []))
    cursor = page.next_cursor
  } while (cursor && items.length < max)
  return items
}

export async function login(username: string, password: string): Promise<TokenPair> {
  const pair = await request<TokenPair>('POST', '/auth/login', { body: { username, password }, noRefresh: true })
  adoptTokens(pair)
  return pair
}

export async function logout(): Promise<void> {
  try {
    if (session.accessToken) await request('POST', '/auth/logout', { noRefresh: true })
  } finally {
    forgetTokens()
  }
}

/** Save a Blob as a file the user downloads. */
export function saveBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = href
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 1000)
}

/** Download a file the API serves (`Content-Disposition` names it) and save it. */
export async function downloadTo(path: string, fallbackName: string, query?: Query): Promise<string> {
  let response = await send('GET', path, { query })
  if (response.status === 401 && (session.refreshToken || session.accessToken) && (await refresh())) {
    response = await send('GET', path, { query })
  }
  if (!response.ok) throw await errorOf(response)
  const disposition = response.headers.get('Content-Disposition') ?? ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  const plain = /filename="?([^";]+)"?/i.exec(disposition)
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallbackName
  saveBlob(await response.blob(), name)
  return name
}
