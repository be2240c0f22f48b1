// A resident on a 375-px-wide phone: registers with the phone code (read from the
// development channel's dev-texts folder) → sees the pending claim → staff confirm it
// (through the console's claims page) → the resident sees their home. Env: BASE_URL,
// UNIT_ID (the unit claimed; its QR code's link), PHONE, DEV_TEXTS, SCREENSHOTS.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { accessibility, allPages, apiGet, clean, expect, noHorizontalScroll, openPage, run, shot, token, BASE } from './lib.mjs'

const UNIT_ID = process.env.UNIT_ID
const PHONE = process.env.PHONE ?? '13700001234'
const DEV_TEXTS = process.env.DEV_TEXTS
const PASSWORD = 'Zhuhu2026!'
const STAFF = process.env.STAFF_USER ?? 'community_worker'
const STAFF_PASSWORD = process.env.PASSWORD ?? 'Fazhi2026!'
const PHONE_VIEW = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47' }

async function code(deadline = Date.now() + 15000) {
  const file = join(DEV_TEXTS, PHONE)
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const m = /[0-9]{6}/.exec(readFileSync(file, 'utf8'))
      if (m) return m[0]
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`no code in ${file}`)
}

run('resident', async (browser, report) => {
  const check = (what) => report.checks.push(what)
  const phone = await openPage(browser, PHONE_VIEW)

  // Registration with the phone code
  await phone.goto(`${BASE}/h5/register?unit=${UNIT_ID}`)
  await phone.getByText('住户注册').first().waitFor()
  await noHorizontalScroll(phone, 'registration at 375 px')
  await accessibility(phone, 'registration')
  await phone.fill('#reg-phone', PHONE)
  await phone.getByRole('button', { name: '获取验证码' }).click()
  await phone.getByText('验证码已发送').waitFor()
  await phone.fill('#reg-code', await code())
  await phone.fill('#reg-name', '赵住户')
  await phone.fill('#reg-password', PASSWORD)
  await phone.getByRole('radio', { name: '租户' }).click()
  report.screenshots.push(await shot(phone, 'h5-register'))
  await phone.getByRole('button', { name: '注册并提交认证' }).click()
  await phone.waitForURL(/\/h5\/home/)
  await phone.locator('.claim-status', { hasText: '待确认' }).waitFor()
  await noHorizontalScroll(phone, 'my home (pending) at 375 px')
  await accessibility(phone, 'my home, pending')
  report.screenshots.push(await shot(phone, 'h5-home-pending'))
  const stored = await phone.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)
  expect(!stored.includes(PHONE) && !stored.includes(PASSWORD), `the phone or password kept in the browser: ${stored}`)
  check('registered with the code from the development channel; the claim shows 待确认; no phone or password kept')

  // Staff confirm it in the console
  const console_ = await openPage(browser, { viewport: { width: 1280, height: 800 } })
  await console_.goto(`${BASE}/login`)
  await console_.fill('#login-username', STAFF)
  await console_.fill('#login-password', STAFF_PASSWORD)
  await console_.getByRole('button', { name: '登录' }).click()
  await console_.getByText('欢迎使用法治小区工作台').waitFor()
  await console_.getByRole('menuitem', { name: '住户认证审核' }).click()
  const row = console_.locator('.claims .el-table__row', { hasText: '租户' }).first()
  await row.waitFor()
  await accessibility(console_, 'claims')
  report.screenshots.push(await shot(console_, 'console-claims'))
  await row.getByRole('button', { name: '确认' }).click()
  await console_.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
  await console_.getByText('已确认').first().waitFor()
  const tok = await token(STAFF, STAFF_PASSWORD)
  const confirmed = await allPages('/org/resident-claims', tok, { status: 'confirmed', unit_id: UNIT_ID })
  expect(confirmed.length === 1, `the API shows ${confirmed.length} confirmed claims on the unit`)
  clean(console_, 'console (claims)')
  check('community worker confirmed the claim in the console; read back through the API')

  // The resident sees their home
  let seen = false
  // The phone page first refreshes in place (pull to refresh: its token's grants are
  // stale once the claim is confirmed, and the client refreshes it); then, as a person
  // would, reloads and signs in again.
  await phone.mouse.wheel(0, -400)
  for (let i = 0; i < 10 && !seen; i++) {
    seen = await phone.locator('.home').first().waitFor({ timeout: 3000 }).then(() => true, () => false)
    if (seen) break
    await phone.reload()
    await phone.waitForLoadState('networkidle')
    if (phone.url().includes('/login')) {
      await phone.fill('#h5-phone', PHONE)
      await phone.fill('#h5-password', PASSWORD)
      await phone.getByRole('button', { name: '登录' }).click()
      await phone.waitForURL(/\/h5\/home/)
    }
  }
  expect(seen, 'the resident never saw their home')
  const home = await phone.locator('.homes').innerText()
  const unit = await apiGet(`/org/units/${UNIT_ID}`, tok)
  expect(home.includes(unit.name), `my home lacks ${unit.name}: ${home}`)
  await phone.locator('.claim-status', { hasText: '已确认' }).waitFor()
  await noHorizontalScroll(phone, 'my home at 375 px')
  await accessibility(phone, 'my home')
  report.screenshots.push(await shot(phone, 'h5-home'))
  await phone.locator('.van-tabbar-item', { hasText: '我的小区' }).click()
  await phone.getByText('“五有”情况').waitFor()
  await phone.locator('.party .van-cell', { hasText: '党小组' }).first().waitFor()
  const parties = await apiGet('/org/party-orgs', tok, { unit_id: unit.path.split('/').filter(Boolean)[3] })
  for (const o of parties.items) expect(await phone.locator('.party').innerText().then((x) => x.includes(o.name)), `the list lacks ${o.name}`)
  await noHorizontalScroll(phone, 'my compound at 375 px')
  await accessibility(phone, 'my compound')
  report.screenshots.push(await shot(phone, 'h5-compound'))
  clean(phone, 'phone pages')
  check(`the resident sees their home (${unit.name}) and their compound at 375 px`)
})
