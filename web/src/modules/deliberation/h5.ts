// deliberation's phone pages: my votes (ballot and receipt while open, the result once
// closed), raising and following an appeal, and the public-opinion mirror.
import { defineH5Module } from '@/h5/modules'
import en from './i18n/en'
import zh from './i18n/zh-CN'

export default defineH5Module({
  service: 'deliberation',
  routes: [
    { path: '/deliberation/votes', component: () => import('./h5/VotesPage.vue'), meta: { signedIn: true } },
    { path: '/deliberation/appeal', component: () => import('./h5/AppealPage.vue'), meta: { signedIn: true } },
    { path: '/deliberation/mirror', component: () => import('./h5/MirrorPage.vue'), meta: { signedIn: true } },
  ],
  tiles: [
    { path: '/deliberation/votes', label: 'deliberation.h5.votes', icon: 'records-o', order: 40 },
    { path: '/deliberation/appeal', label: 'deliberation.h5.appeal', icon: 'chat-o', order: 41 },
    { path: '/deliberation/mirror', label: 'deliberation.h5.mirror', icon: 'eye-o', order: 42 },
  ],
  messages: { 'zh-CN': { deliberation: zh }, en: { deliberation: en } },
})
