// The resident's session (memory only) and their last claim: the claim's id, unit and
// status are kept in the browser (no phone, no name) so "my home" can show a pending
// claim after a reload, until the API lets a resident read their own claims.
import { reactive } from 'vue'
import { api, currentAccount, login, logout, markSignedIn, refresh, wasSignedIn, type Schemas } from '@/api/client'

const CLAIM = 'fazhi.h5.claim'

export interface ClaimSummary { id: string; unit_id: string; status: string; created_at?: string; path?: string }

export const resident = reactive<{ me: Schemas['Me'] | null; username: string }>({ me: null, username: '' })

export async function signIn(username: string, password: string): Promise<void> {
  const pair = await login(username, password)
  resident.username = pair.account?.username ?? ''
  resident.me = await api.get<Schemas['Me']>('/me')
  markSignedIn(true)
}

/** After a reload: the gateway's HttpOnly refresh cookie, if this tab was signed in. */
export async function resume(): Promise<boolean> {
  if (resident.me) return true
  if (!wasSignedIn()) return false
  if (!(await refresh())) {
    markSignedIn(false)
    return false
  }
  resident.username = currentAccount()?.username ?? ''
  await reloadMe()
  return true
}

export async function reloadMe(): Promise<void> {
  resident.me = await api.get<Schemas['Me']>('/me')
}

export async function signOut(): Promise<void> {
  markSignedIn(false)
  try { await logout() } finally { resident.me = null }
}

export function residentUnits(): string[] {
  return (resident.me?.grants ?? []).filter((g) => g.role === 'resident').map((g) => g.path ?? '')
}

export function keepClaim(claim: ClaimSummary): void {
  try {
    localStorage.setItem(CLAIM, JSON.stringify({ id: claim.id, unit_id: claim.unit_id, status: claim.status,
      created_at: claim.created_at, path: claim.path }))
  } catch { /* no storage */ }
}

export function keptClaim(): ClaimSummary | null {
  try {
    const raw = localStorage.getItem(CLAIM)
    return raw ? (JSON.parse(raw) as ClaimSummary) : null
  } catch {
    return null
  }
}
