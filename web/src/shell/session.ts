// Who is signed in: the token's account and grants (GET /api/v1/me) and the account
// (the login's answer). Memory only.
import { computed, reactive } from 'vue'
import { api, currentAccount, forgetTokens, login as apiLogin, logout as apiLogout, markSignedIn, refresh, wasSignedIn, type Schemas } from '@/api/client'

export const STAFF_ROLES = ['city_admin', 'street_admin', 'judicial_staff', 'community_worker', 'grid_worker',
  'property_staff', 'owners_committee', 'lawyer', 'legal_literate', 'mediator', 'assessor', 'volunteer', 'auditor']

interface State { me: Schemas['Me'] | null; account: Schemas['Account'] | null }
export const state = reactive<State>({ me: null, account: null })

export const roles = computed(() => new Set(state.me?.roles ?? []))
export const isStaff = computed(() => STAFF_ROLES.some((r) => roles.value.has(r)))
export const displayName = computed(() => state.account?.display_name || state.account?.username || '')

export async function loadMe(): Promise<void> {
  state.me = await api.get<Schemas['Me']>('/me')
}

export async function signIn(username: string, password: string): Promise<void> {
  const pair = await apiLogin(username, password)
  state.account = pair.account ?? null
  await loadMe()
  markSignedIn(true)
}

export async function resume(): Promise<boolean> {
  if (state.me) return true
  if (!wasSignedIn()) return false
  if (!(await refresh())) {
    markSignedIn(false)
    return false
  }
  state.account = currentAccount()
  await loadMe()
  return true
}

export async function signOut(): Promise<void> {
  markSignedIn(false)
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
