// Errors from the API shown where they belong: a 422's `fields` next to the form items
// they name (in the API's language: Chinese by default), anything else as a message.
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/client'
import { i18n } from '@/i18n'

export function useFieldErrors() {
  const fields = reactive<Record<string, string>>({})
  function clear(): void {
    for (const k of Object.keys(fields)) delete fields[k]
  }
  /** Show `error`; returns true when it named fields of the form. */
  function show(error: unknown, known: string[] = []): boolean {
    clear()
    if (error instanceof ApiError) {
      const named = Object.entries(error.fields ?? {})
      for (const [field, messages] of named) fields[field] = messages.join(' ')
      const onForm = named.some(([f]) => known.length === 0 || known.includes(f.split('.')[0]))
      if (!onForm || named.length === 0) ElMessage.error({ message: error.message, grouping: true })
      return named.length > 0
    }
    ElMessage.error({ message: i18n.global.t('common.networkError'), grouping: true })
    return false
  }
  return { fields, clear, show }
}

export function showError(error: unknown): void {
  if (error instanceof ApiError) ElMessage.error({ message: error.message, grouping: true })
  else ElMessage.error({ message: i18n.global.t('common.networkError'), grouping: true })
}
