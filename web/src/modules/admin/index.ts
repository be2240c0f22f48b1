// The administrator's pages Chinese government consoles ship with (RuoYi-Vue's are the
// convention): the operation log and the unmasked-data reads (org's audit rows), the
// login log and the sessions online with forced logout (the gateway's).
import { defineModule } from '@/shell/modules'
import en from './i18n/en'
import zh from './i18n/zh-CN'

const AUDIT_READERS = ['city_admin', 'street_admin', 'auditor']
const ACCOUNT_ADMINS = ['city_admin', 'street_admin']

export default defineModule({
  service: 'org',
  routes: [
    { path: 'admin/audit-log', name: 'admin-audit', component: () => import('./AuditLogPage.vue'), meta: { roles: AUDIT_READERS } },
    { path: 'admin/unmasked-reads', name: 'admin-unmasked', component: () => import('./AuditLogPage.vue'),
      meta: { roles: AUDIT_READERS, unmasked: true } },
    { path: 'admin/login-log', name: 'admin-logins', component: () => import('./LoginLogPage.vue'), meta: { roles: ACCOUNT_ADMINS } },
    { path: 'admin/sessions', name: 'admin-sessions', component: () => import('./SessionsPage.vue'), meta: { roles: ACCOUNT_ADMINS } },
  ],
  menu: [
    { path: '/admin/audit-log', label: 'admin.menu.audit', roles: AUDIT_READERS, order: 80 },
    { path: '/admin/unmasked-reads', label: 'admin.menu.unmasked', roles: AUDIT_READERS, order: 81 },
    { path: '/admin/login-log', label: 'admin.menu.logins', roles: ACCOUNT_ADMINS, order: 82 },
    { path: '/admin/sessions', label: 'admin.menu.sessions', roles: ACCOUNT_ADMINS, order: 83 },
  ],
  messages: { 'zh-CN': { admin: zh }, en: { admin: en } },
})
