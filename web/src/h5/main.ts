// The residents' phone pages (Vant, H5 for WeChat's browser), served at /h5/.
import 'vant/lib/index.css'
import './theme.css'
import { createApp } from 'vue'
import { whenSignedOut } from '@/api/client'
import { loadVocabularies } from '@/api/vocabulary'
import { addMessages, i18n } from '@/i18n'
import { toastsAsStatus } from './a11y'
import App from './App.vue'
import en from './i18n/en'
import zh from './i18n/zh-CN'
import { h5Modules } from './modules'
import { router } from './router'
import { resident } from './session'

addMessages({ 'zh-CN': { h5: zh }, en: { h5: en } })
for (const m of h5Modules) addMessages(m.messages)
for (const service of new Set(['org', ...h5Modules.map((m) => m.service)])) {
  loadVocabularies(service).catch(() => { /* labels fall back to codes */ })
}
whenSignedOut(() => {
  resident.me = null
  if (router.currentRoute.value.meta.signedIn) router.push({ name: 'login' })
})
createApp(App).use(i18n).use(router).mount('#app')
toastsAsStatus()
