// org's pages in the console: compounds (units, owners, electorate, five haves, the
// workbook), the five-haves coverage report and residents' registration claims.
import { defineModule } from '@/shell/modules'
import en from './i18n/en'
import zh from './i18n/zh-CN'

const STAFF = ['city_admin', 'street_admin', 'judicial_staff', 'community_worker', 'grid_worker', 'property_staff',
  'owners_committee', 'lawyer', 'legal_literate', 'mediator', 'assessor', 'volunteer', 'auditor']
const REVEALERS = ['city_admin', 'street_admin', 'judicial_staff', 'community_worker', 'auditor']
const ACCOUNT_ADMINS = ['city_admin', 'street_admin']
const ERRAND_RUNNERS = ['community_worker', 'grid_worker', 'property_staff', 'owners_committee', 'legal_literate', 'volunteer',
  'street_admin', 'city_admin']
const CLAIM_DECIDERS = ['city_admin', 'street_admin', 'community_worker', 'grid_worker', 'owners_committee']

export default defineModule({
  service: 'org',
  routes: [
    { path: 'compounds/:id', name: 'org-compound', component: () => import('./CompoundPage.vue'), meta: { roles: STAFF } },
    { path: 'coverage', name: 'org-coverage', component: () => import('./CoveragePage.vue'), meta: { roles: STAFF } },
    { path: 'claims', name: 'org-claims', component: () => import('./ClaimsPage.vue'), meta: { roles: CLAIM_DECIDERS } },
    { path: 'people', name: 'org-people', component: () => import('./PeoplePage.vue'), meta: { roles: STAFF } },
    { path: 'errands', name: 'org-errands', component: () => import('./ErrandsPage.vue'), meta: { roles: STAFF } },
    { path: 'accounts', name: 'org-accounts', component: () => import('./AccountsPage.vue'), meta: { roles: ACCOUNT_ADMINS } },
  ],
  menu: [
    { path: '/coverage', label: 'org.menu.coverage', order: 20 },
    { path: '/claims', label: 'org.menu.claims', roles: CLAIM_DECIDERS, order: 30 },
    { path: '/people', label: 'org.menu.people', roles: REVEALERS, order: 40 },
    { path: '/errands', label: 'org.menu.errands', roles: ERRAND_RUNNERS, order: 45 },
    { path: '/accounts', label: 'org.menu.accounts', roles: ACCOUNT_ADMINS, order: 50 },
  ],
  messages: { 'zh-CN': { org: zh }, en: { org: en } },
})
