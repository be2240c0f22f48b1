// deliberation's pages in the console: the compound's matters (notice, opening, closing,
// live turnout, paper-ballot entry, the result and its PDFs) and the appeals board.
import { defineModule } from '@/shell/modules'
import en from './i18n/en'
import zh from './i18n/zh-CN'

const STAFF = ['city_admin', 'street_admin', 'judicial_staff', 'community_worker', 'grid_worker', 'property_staff',
  'owners_committee', 'lawyer', 'legal_literate', 'mediator', 'assessor', 'volunteer', 'auditor']
const APPEAL_HANDLERS = ['city_admin', 'street_admin', 'community_worker', 'grid_worker', 'property_staff', 'owners_committee']

export default defineModule({
  service: 'deliberation',
  routes: [
    { path: 'deliberation/matters', name: 'deliberation-matters', component: () => import('./MattersPage.vue'), meta: { roles: STAFF } },
    { path: 'deliberation/matters/:id', name: 'deliberation-matter', component: () => import('./MatterPage.vue'), meta: { roles: STAFF } },
    { path: 'deliberation/appeals', name: 'deliberation-appeals', component: () => import('./AppealsPage.vue'), meta: { roles: APPEAL_HANDLERS } },
  ],
  menu: [
    { path: '/deliberation/matters', label: 'deliberation.menu.matters', order: 70 },
    { path: '/deliberation/appeals', label: 'deliberation.menu.appeals', roles: APPEAL_HANDLERS, order: 71 },
  ],
  messages: { 'zh-CN': { deliberation: zh }, en: { deliberation: en } },
})
