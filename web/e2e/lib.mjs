// What every browser test checks, driving Debian's Chromium (/usr/bin/chromium) through
// playwright-core — no browser is downloaded. A test collects, per page: uncaught errors,
// errors the app logged (the browser's own lines for expected 4xx answers aside),
// requests to any other host, horizontal scrolling, and axe-core's serious and critical
// violations; it saves screenshots into SCREENSHOTS. The run fails on any of them.
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8000'
export const SCREENSHOTS = process.env.SCREENSHOTS ?? join(process.cwd(), 'test-results', 'screenshots')
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const ORIGIN = new URL(BASE).origin

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  })
}

/** A page in a fresh context, with its problems collected in `page.problems`. */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true, ...options })
  const page = await context.newPage()
  const problems = { errors: [], logged: [], foreign: [], failed: [] }
  page.problems = problems
  page.on('pageerror', (e) => problems.errors.push(String(e?.stack ?? e)))
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return
    const text = m.text()
    // The browser's own line for an answer the app expects (a 401, 404, 409, 422 …).
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return
    if (m.type() === 'warning' && !/Content Security Policy|Refused/.test(text)) return
    problems.logged.push(`${m.type()}: ${text}`)
  })
  page.on('request', (r) => {
    const url = r.url()
    if (url.startsWith('data:') || url.startsWith('blob:')) return
    if (new URL(url).origin !== ORIGIN) problems.foreign.push(url)
  })
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? ''
    if (!/ERR_ABORTED/.test(why)) problems.failed.push(`${r.url()} ${why}`)
  })
  return page
}

/** axe-core in the page (evaluated through the DevTools protocol: the page's CSP, which
 * forbids inline scripts, stays on). Serious and critical violations fail. */
export async function accessibility(page, where) {
  // Colours are measured as shown: let transitions (a dialog fading in) finish first.
  await page.evaluate(async () => {
    for (let i = 0; i < 3; i++) {
      await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)))
      await new Promise((r) => requestAnimationFrame(() => r(undefined)))
    }
  })
  await page.evaluate(AXE)
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + (n.failureSummary ?? '').split('\n').slice(0, 2).join(' ')) }))
  })
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  if (bad.length) throw new Error(`accessibility violations on ${where}:\n${JSON.stringify(bad, null, 1)}`)
  return result.length
}

export async function noHorizontalScroll(page, where) {
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
  if (widths.scroll > widths.client + 1) throw new Error(`${where} scrolls sideways: ${widths.scroll} > ${widths.client}`)
}

export async function shot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const path = join(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/** Checks every page of a test ends with. */
export function clean(page, where) {
  const p = page.problems
  const all = [...p.errors.map((e) => `uncaught: ${e}`), ...p.logged, ...p.foreign.map((u) => `other host: ${u}`),
    ...p.failed.map((f) => `failed request: ${f}`)]
  if (all.length) throw new Error(`${where}:\n${all.join('\n')}`)
}

/** The API as the tests read it back (JSON; a token when given). */
export async function apiGet(path, token, query = {}) {
  const qs = new URLSearchParams(query).toString()
  const r = await fetch(`${ORIGIN}/api/v1${path}${qs ? `?${qs}` : ''}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`)
  return r.json()
}

export async function apiPost(path, body, token) {
  const r = await fetch(`${ORIGIN}/api/v1${path}`, { method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) } })
  if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`)
  return r.json()
}

/** An access token. A login queued past its deadline on a loaded machine (503, "try again
 *  later") is tried again, as a client would, up to four times. */
export async function token(username, password) {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await apiPost('/auth/login', { username, password })).access_token
    } catch (e) {
      if (attempt >= 4 || !/: 503 /.test(String(e))) throw e
      await new Promise((r) => setTimeout(r, 1000 * attempt))
    }
  }
}

export async function allPages(path, tok, query = {}) {
  const items = []
  let cursor
  do {
    const page = await apiGet(path, tok, { ...query, limit: 200, ...(cursor ? { cursor } : {}) })
    items.push(...page.items)
    cursor = page.next_cursor
  } while (cursor)
  return items
}

export function expect(condition, message) {
  if (!condition) throw new Error(message)
}

/** Run a test: prints one JSON line with what it checked; exit 1 with the reason. */
export async function run(name, body) {
  const browser = await launch()
  const report = { test: name, checks: [], screenshots: [] }
  try {
    await body(browser, report)
    console.log(JSON.stringify({ ...report, ok: true }))
  } catch (e) {
    console.log(JSON.stringify({ ...report, ok: false, error: String(e?.stack ?? e) }))
    process.exitCode = 1
  } finally {
    await browser.close()
  }
}
