// The staff console (Element Plus), served at /.
import 'element-plus/dist/index.css'
import './theme.css'
import { createApp } from 'vue'
import { whenSignedOut } from '@/api/client'
import { loadVocabularies } from '@/api/vocabulary'
import { addMessages, i18n } from '@/i18n'
import App from './App.vue'
import { modules } from './modules'
import { router } from './router'
import { state } from './session'

for (const m of modules) addMessages(m.messages)
for (const service of new Set(modules.map((m) => m.service))) {
  loadVocabularies(service).catch(() => { /* labels fall back to codes; retried on use */ })
}

whenSignedOut(() => {
  state.me = null
  state.account = null
  if (router.currentRoute.value.name !== 'login') {
    router.push({ name: 'login', query: { next: router.currentRoute.value.fullPath } })
  }
})

createApp(App).use(i18n).use(router).mount('#app')
