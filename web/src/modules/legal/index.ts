// legal's pages in the console: coverage of buildings by legal-literate persons, intake
// and promotion, and the lawyers' duty roster as a calendar.
import { defineModule } from '@/shell/modules'
import en from './i18n/en'
import zh from './i18n/zh-CN'

const STAFF = ['city_admin', 'street_admin', 'judicial_staff', 'community_worker', 'grid_worker', 'property_staff',
  'owners_committee', 'lawyer', 'legal_literate', 'mediator', 'assessor', 'volunteer', 'auditor']
const COVERAGE = ['city_admin', 'street_admin', 'judicial_staff', 'community_worker', 'grid_worker', 'auditor']
const NOMINATORS = ['city_admin', 'street_admin', 'judicial_staff', 'community_worker']

export default defineModule({
  service: 'legal',
  routes: [
    { path: 'legal/coverage', name: 'legal-coverage', component: () => import('./CoveragePage.vue'), meta: { roles: COVERAGE } },
    { path: 'legal/literates', name: 'legal-literates', component: () => import('./LiteratesPage.vue'), meta: { roles: NOMINATORS } },
    { path: 'legal/rosters', name: 'legal-rosters', component: () => import('./RosterPage.vue'), meta: { roles: STAFF } },
  ],
  menu: [
    { path: '/legal/coverage', label: 'legal.menu.coverage', roles: COVERAGE, order: 60 },
    { path: '/legal/literates', label: 'legal.menu.literates', roles: NOMINATORS, order: 61 },
    { path: '/legal/rosters', label: 'legal.menu.rosters', order: 62 },
  ],
  messages: { 'zh-CN': { legal: zh }, en: { legal: en } },
})
