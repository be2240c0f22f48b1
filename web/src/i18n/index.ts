// vue-i18n with Simplified Chinese by default and English available. The shell's and
// the phone pages' own words are here; each module under src/modules/<service>/ brings
// its own messages (merged at start); vocabulary labels come from the contracts through
// the API (src/api/vocabulary.ts), never from copies in this code.
import { createI18n } from 'vue-i18n'
import { setLanguage } from '@/api/client'
import en from './en'
import zh from './zh-CN'

export type Messages = Record<string, unknown>

const STORED = 'fazhi.lang' // a preference, not a secret

function initialLocale(): 'zh-CN' | 'en' {
  try {
    return localStorage.getItem(STORED) === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh, en },
  missingWarn: false,
  fallbackWarn: false,
})

setLanguage(i18n.global.locale.value)

export function addMessages(messages: { 'zh-CN': Messages; en: Messages }): void {
  i18n.global.mergeLocaleMessage('zh-CN', messages['zh-CN'])
  i18n.global.mergeLocaleMessage('en', messages.en)
}

export function switchLocale(locale: 'zh-CN' | 'en'): void {
  i18n.global.locale.value = locale
  setLanguage(locale)
  document.documentElement.lang = locale
  try {
    localStorage.setItem(STORED, locale)
  } catch {
    /* private mode: the choice lasts for this page */
  }
}
