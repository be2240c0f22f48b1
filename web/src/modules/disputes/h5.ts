// The disputes phone pages: report a problem (with a photo made small in the browser)
// and follow my cases.
import { defineH5Module } from '@/h5/modules'
import en from './i18n/en'
import zh from './i18n/zh-CN'

export default defineH5Module({
  service: 'disputes',
  routes: [
    { path: '/disputes/report', component: () => import('./h5/ReportPage.vue'), meta: { signedIn: true } },
    { path: '/disputes/mine', component: () => import('./h5/MyCasesPage.vue'), meta: { signedIn: true } },
    { path: '/disputes/mine/:id', component: () => import('./h5/MyCasePage.vue'), meta: { signedIn: true } },
  ],
  tiles: [
    { path: '/disputes/report', label: 'disputes.h5.report', icon: 'comment-o', order: 40 },
    { path: '/disputes/mine', label: 'disputes.h5.mine', icon: 'records-o', order: 41 },
  ],
  messages: { 'zh-CN': { disputes: zh }, en: { disputes: en } },
})
