// legal's phone pages: who is on duty now and next, booking a consultation, and a
// legal-literate person's public profile (opened from the QR code on the name card).
import { defineH5Module } from '@/h5/modules'
import en from './i18n/en'
import zh from './i18n/zh-CN'

export default defineH5Module({
  service: 'legal',
  routes: [
    { path: '/legal/duty', component: () => import('./h5/DutyPage.vue'), meta: { signedIn: true } },
    { path: '/legal/people/:id', component: () => import('./h5/ProfilePage.vue') },
  ],
  tiles: [{ path: '/legal/duty', label: 'legal.h5.duty', icon: 'service-o', order: 30 }],
  messages: { 'zh-CN': { legal: zh }, en: { legal: en } },
})
