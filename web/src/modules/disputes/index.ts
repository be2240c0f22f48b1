// The disputes pages in the console: the case list (search and filters), the case page
// (log, evidence, workflow actions, documents), statistics with the three shares, and
// campaign progress.
import { defineModule } from '@/shell/modules'
import en from './i18n/en'
import zh from './i18n/zh-CN'

const STAFF = ['city_admin', 'street_admin', 'judicial_staff', 'community_worker', 'grid_worker', 'property_staff',
  'owners_committee', 'lawyer', 'legal_literate', 'mediator', 'volunteer', 'auditor']
const CAMPAIGNERS = ['city_admin', 'street_admin', 'judicial_staff', 'community_worker', 'grid_worker', 'property_staff',
  'owners_committee']

export default defineModule({
  service: 'disputes',
  routes: [
    { path: 'disputes/cases', name: 'disputes-cases', component: () => import('./CasesPage.vue'), meta: { roles: STAFF } },
    { path: 'disputes/cases/:id', name: 'disputes-case', component: () => import('./CasePage.vue'), meta: { roles: STAFF } },
    { path: 'disputes/statistics', name: 'disputes-stats', component: () => import('./StatsPage.vue'), meta: { roles: STAFF } },
    { path: 'disputes/campaigns', name: 'disputes-campaigns', component: () => import('./CampaignsPage.vue'), meta: { roles: CAMPAIGNERS } },
  ],
  menu: [
    { path: '/disputes/cases', label: 'disputes.menu.cases', order: 60 },
    { path: '/disputes/statistics', label: 'disputes.menu.stats', order: 61 },
    { path: '/disputes/campaigns', label: 'disputes.menu.campaigns', roles: CAMPAIGNERS, order: 62 },
  ],
  messages: { 'zh-CN': { disputes: zh }, en: { disputes: en } },
})
