import { createRouter, createWebHistory } from 'vue-router'
import { h5Modules } from './modules'
import { resident, resume } from './session'

export const router = createRouter({
  history: createWebHistory('/h5/'),
  routes: [
    { path: '/', redirect: '/home' },
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue') },
    { path: '/register', name: 'register', component: () => import('./pages/RegisterPage.vue') },
    { path: '/home', name: 'home', component: () => import('./pages/HomePage.vue'), meta: { signedIn: true, tab: true } },
    { path: '/compound', name: 'compound', component: () => import('./pages/CompoundPage.vue'), meta: { signedIn: true, tab: true } },
    { path: '/me', name: 'me', component: () => import('./pages/MePage.vue'), meta: { signedIn: true, tab: true } },
    ...h5Modules.flatMap((m) => m.routes),
    { path: '/:rest(.*)*', redirect: '/home' },
  ],
})

router.beforeEach(async (to) => {
  if (to.meta.signedIn && !resident.me && !(await resume().catch(() => false))) return { name: 'login' }
  return true
})
