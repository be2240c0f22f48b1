// Judicial staff in the console: the coverage of 阳光花园 (the building without a
// confirmed person), the duty roster as a calendar, then confirming a person under
// assessment and a promotion refused with its reason — each read back through the API.
// Env: BASE_URL, COMPOUND_ID, SCREENSHOTS.
import { accessibility, allPages, apiGet, clean, expect, openPage, run, shot, token, BASE } from '../../../../e2e/lib.mjs'


const USER = process.env.STAFF_USER ?? 'judicial_staff'
const PASSWORD = process.env.PASSWORD ?? 'Fazhi2026!'
const COMPOUND = process.env.COMPOUND_ID

run('legal-console', async (browser, report) => {
  const page = await openPage(browser, { viewport: { width: 1366, height: 900 } })
  const check = (what) => report.checks.push(what)
  await page.goto(`${BASE}/login`)
  await page.fill('#login-username', USER)
  await page.fill('#login-password', PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByText('欢迎使用法治小区工作台').waitFor()
  const tok = await token(USER, PASSWORD)

  // Coverage: the gap shown is the API's
  await page.goto(`${BASE}/legal/coverage?unit=${COMPOUND}`)
  await page.getByRole('heading', { name: /法律明白人覆盖情况/ }).waitFor()
  await page.locator('[data-test="coverage-summary"]').waitFor()
  const api = await apiGet('/legal/coverage', tok, { unit_id: COMPOUND })
  const gaps = api.compounds.flatMap((c) => c.uncovered.map((b) => b.name))
  expect(gaps.length > 0, 'the demo compound has no gap to show')
  for (const name of gaps) await page.locator('.compounds .el-tag', { hasText: name }).first().waitFor()
  await accessibility(page, 'coverage')
  report.screenshots.push(await shot(page, 'legal-coverage'))
  clean(page, 'coverage')
  check(`coverage shows the buildings without a confirmed person: ${gaps.join('、')}`)

  // The roster calendar
  await page.goto(`${BASE}/legal/rosters?unit=${COMPOUND}`)
  await page.locator('[data-test="roster-calendar"] .el-table__row').first().waitFor()
  const rosters = await allPages('/legal/rosters', tok, { compound_id: COMPOUND })
  const roster = await apiGet(`/legal/rosters/${rosters.at(-1).id}`, tok)
  const days = new Set(roster.shifts.map((s) => new Date(new Date(s.starts_at).getTime() + 8 * 3600e3).toISOString().slice(0, 10)))
  const rows = await page.locator('[data-test="roster-calendar"] .el-table__row').count()
  expect(rows === days.size, `the calendar shows ${rows} days, the roster has ${days.size}`)
  await page.getByText('各律师值班次数').waitFor()
  await page.getByRole('button', { name: '日历订阅' }).click()
  const feedUrl = await page.locator('input[data-test="feed-url"], [data-test="feed-url"] input').first().inputValue()
  const feedPath = new URL(feedUrl).pathname
  const ics = await fetch(new URL(feedPath, BASE))          // no bearer token: the URL is the secret
  const body = await ics.text()
  expect(ics.ok && body.includes('BEGIN:VCALENDAR') && body.includes('TZID=Asia/Shanghai'), `the feed: ${ics.status} ${body.slice(0, 80)}`)
  await accessibility(page, 'roster calendar')
  report.screenshots.push(await shot(page, 'legal-roster'))
  clean(page, 'roster')
  check(`roster calendar: ${rows} days, as the API's ${roster.shifts.length} shifts; its calendar feed opens without a token`)

  // Intake: confirm the person under assessment; promotion refused with its reason
  await page.goto(`${BASE}/legal/literates?unit=${COMPOUND}`)
  const pending = page.locator('[data-test="literates"] .el-table__row', { hasText: '考核中' }).first()
  await pending.waitFor()
  const name = (await pending.locator('td').first().innerText()).trim()
  await pending.getByRole('button', { name: '确认', exact: true }).click()
  await page.locator('[data-test="literates"] .el-table__row', { hasText: name }).getByText('已确认').waitFor()
  const people = await allPages('/legal/literates', tok, { unit_id: COMPOUND })
  expect(people.find((p) => p.name === name)?.status === 'confirmed', `${name} is not confirmed in the API`)
  check(`confirmed ${name} in the console; the API says confirmed`)
  const confirmedRow = page.locator('[data-test="literates"] .el-table__row', { hasText: name })
  await confirmedRow.getByRole('button', { name: '推选' }).click()
  await page.locator('.el-dialog').waitFor()
  await page.locator('[data-test="promote"]').click()
  await page.locator('[data-test="promotion-refused"]').waitFor()
  const shown = await page.locator('[data-test="promotion-refused"]').innerText()
  const decided = await allPages('/legal/promotions', tok, { literate_id: people.find((p) => p.name === name).id })
  expect(decided.length === 1 && decided[0].outcome === 'refused', `promotions in the API: ${JSON.stringify(decided)}`)
  expect(decided[0].reasons.every((r) => shown.includes(r.zh)), `the page shows ${shown}, the API ${JSON.stringify(decided[0].reasons)}`)
  await accessibility(page, 'promotion dialog')
  report.screenshots.push(await shot(page, 'legal-promotion'))
  clean(page, 'literates')
  check(`an assessor promotion refused with its reasons: ${shown}`)
})
