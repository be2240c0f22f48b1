// Form drafts that survive a reload or a dropped connection: kept in localStorage under
// the form's key, never with ID numbers, phones or passwords (those fields are removed
// before anything is written), and with the Idempotency-Key of the pending write, so the
// write a reload retries is still sent exactly once.
import { newIdempotencyKey } from './client'

const PREFIX = 'fazhi.draft.'
/** Fields never written to the browser's storage. */
export const NEVER_KEPT = /(id_number|phone|password|code|credit_code)/i

export interface Draft<T> { data: T; key: string }

export function scrub<T extends Record<string, unknown>>(data: T): Partial<T> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(data)) {
    if (NEVER_KEPT.test(k)) continue
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? scrub(v as Record<string, unknown>) : v
  }
  return out as Partial<T>
}

export function loadDraft<T>(form: string): Draft<T> | null {
  try {
    const raw = localStorage.getItem(PREFIX + form)
    return raw ? (JSON.parse(raw) as Draft<T>) : null
  } catch {
    return null
  }
}

export function saveDraft<T extends Record<string, unknown>>(form: string, data: T, key?: string): string {
  const draftKey = key ?? loadDraft(form)?.key ?? newIdempotencyKey()
  try {
    localStorage.setItem(PREFIX + form, JSON.stringify({ data: scrub(data), key: draftKey }))
  } catch {
    /* storage full or disabled: the form still works, without a draft */
  }
  return draftKey
}

export function dropDraft(form: string): void {
  try {
    localStorage.removeItem(PREFIX + form)
  } catch {
    /* nothing kept */
  }
}
