import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { modules } from './modules'
import { isStaff, resume, roles, state } from './session'

const moduleRoutes: RouteRecordRaw[] = modules.flatMap((m) => m.routes)

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./LoginPage.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('./ConsoleLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('./HomePage.vue'), meta: { title: 'shell.home' } },
      ...moduleRoutes,
      { path: ':rest(.*)*', name: 'not-found', component: () => import('./NotFound.vue'), meta: { title: 'shell.notFound' } },
    ],
  },
]

export const router = createRouter({ history: createWebHistory('/'), routes })

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  if (!state.me && !(await resume().catch(() => false))) {
    return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  }
  if (!isStaff.value) return { name: 'login', query: { denied: '1' } }
  const needed = to.meta.roles as string[] | undefined
  if (needed && !needed.some((r) => roles.value.has(r))) return { name: 'home' }
  return true
})
