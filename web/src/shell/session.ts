// Who is signed in: the token's account and grants (GET /api/v1/me) and the account
// (the login's answer). Memory only.
import { computed, reactive } from 'vue'
import { api, forgetTokens, login as apiLogin, logout as apiLogout, refresh, type Schemas } from '@/api/client'

export const STAFF_ROLES = ['city_admin', 'street_admin', 'judicial_staff', 'community_worker', 'grid_worker',
  'property_staff', 'owners_committee', 'lawyer', 'legal_literate', 'mediator', 'volunteer', 'auditor']

interface State { me: Schemas['Me'] | null; account: Schemas['Account'] | null }
export const state = reactive<State>({ me: null, account: null })

export const roles = computed(() => new Set(state.me?.roles ?? []))
export const isStaff = computed(() => STAFF_ROLES.some((r) => roles.value.has(r)))
export const displayName = computed(() => state.account?.display_name || state.account?.username || '')

// A marker (no token, no name) that this tab was signed in: after a reload the client
// tries the gateway's HttpOnly refresh cookie once instead of showing the login at once.
const MARKER = 'fazhi.signedIn'

export async function loadMe(): Promise<void> {
  state.me = await api.get<Schemas['Me']>('/me')
}

export async function signIn(username: string, password: string): Promise<void> {
  const pair = await apiLogin(username, password)
  state.account = pair.account ?? null
  await loadMe()
  try { sessionStorage.setItem(MARKER, '1') } catch { /* no storage */ }
}

export async function resume(): Promise<boolean> {
  if (state.me) return true
  let marked = false
  try { marked = sessionStorage.getItem(MARKER) === '1' } catch { /* no storage */ }
  if (!marked) return false
  if (!(await refresh())) {
    try { sessionStorage.removeItem(MARKER) } catch { /* no storage */ }
    return false
  }
  await loadMe()
  return true
}

export async function signOut(): Promise<void> {
  try { sessionStorage.removeItem(MARKER) } catch { /* no storage */ }
  try {
    await apiLogout()
  } catch {
    forgetTokens()
  }
  state.me = null
  state.account = null
}

/** Unit ids the account's grants name (the last id of each grant's path). */
export function grantUnitIds(): string[] {
  const ids = (state.me?.grants ?? []).map((g) => (g.path ?? '').split('/').filter(Boolean).pop() ?? '')
  return [...new Set(ids.filter(Boolean))]
}
