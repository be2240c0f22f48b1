// Labels of codes (unit kinds, roles, relations, owner kinds, the five haves …) as the
// services' contracts define them, read from GET /api/v1/<service>/vocabularies (public).
import { reactive } from 'vue'
import { i18n } from '@/i18n'
import { api } from './client'

interface Term { code: string; zh: string; en: string }
type Vocabularies = Record<string, Term[]>

const loaded = reactive<Record<string, Vocabularies>>({})
const pending: Record<string, Promise<Vocabularies>> = {}

export function loadVocabularies(service: string): Promise<Vocabularies> {
  if (!(service in pending)) {
    pending[service] = api.get<Vocabularies>(`/${service}/vocabularies`).then((v) => {
      loaded[service] = v
      return v
    }).catch((e) => {
      delete pending[service]
      throw e
    })
  }
  return pending[service]
}

/** The label of `code` in `vocabulary` of `service`, in the current language (the code
 * itself until the vocabulary has loaded). */
export function label(service: string, vocabulary: string, code: string | null | undefined): string {
  if (!code) return ''
  const term = loaded[service]?.[vocabulary]?.find((t) => t.code === code)
  if (!term) return code
  return i18n.global.locale.value === 'en' ? term.en : term.zh
}

export function terms(service: string, vocabulary: string): { value: string; label: string }[] {
  const en = i18n.global.locale.value === 'en'
  return (loaded[service]?.[vocabulary] ?? []).map((t) => ({ value: t.code, label: en ? t.en : t.zh }))
}
