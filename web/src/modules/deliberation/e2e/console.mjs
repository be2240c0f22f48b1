// A community worker in the console: 阳光花园's matters as the API lists them, the running
// vote's live turnout, a paper ballot entered by its code (turnout read back through the
// API), and the appeals board with its deadlines: assigning a new appeal.
// Env: BASE_URL, COMPOUND_ID, RUNNING_ID, PAPER_CODE, SCREENSHOTS.
import { accessibility, allPages, apiGet, clean, expect, openPage, run, shot, token, BASE } from '../../../../e2e/lib.mjs'

const USER = process.env.STAFF_USER ?? 'community_worker'
const PASSWORD = process.env.PASSWORD ?? 'Fazhi2026!'
const COMPOUND = process.env.COMPOUND_ID
const RUNNING = process.env.RUNNING_ID
const CODE = process.env.PAPER_CODE

run('deliberation-console', async (browser, report) => {
  const page = await openPage(browser, { viewport: { width: 1366, height: 900 } })
  const check = (what) => report.checks.push(what)
  await page.goto(`${BASE}/login`)
  await page.fill('#login-username', USER)
  await page.fill('#login-password', PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByText('欢迎使用法治小区工作台').waitFor()
  const tok = await token(USER, PASSWORD)

  await page.goto(`${BASE}/deliberation/matters?unit=${COMPOUND}`)
  await page.getByRole('heading', { name: /业主表决事项/ }).waitFor()
  const listed = await allPages('/deliberation/matters', tok, { compound_id: COMPOUND })
  for (const m of listed) await page.locator('[data-test="matters"] .el-table__row', { hasText: m.title }).first().waitFor()
  await page.mouse.move(1, 1)
  await accessibility(page, 'matters')
  report.screenshots.push(await shot(page, 'deliberation-matters'))
  clean(page, 'matters')
  check(`the matters list shows the API's ${listed.length} matters`)

  await page.goto(`${BASE}/deliberation/matters/${RUNNING}`)
  await page.locator('[data-test="turnout"] .el-table__row').first().waitFor()
  const before = await apiGet(`/deliberation/matters/${RUNNING}/turnout`, tok)
  const firstRow = await page.locator('[data-test="turnout"] .el-table__row').first().innerText()
  expect(firstRow.includes(`${before.items[0].participating_owners} / ${before.total_owners}`), `turnout row ${firstRow}`)
  expect(!/同意\s*\d/.test(await page.locator('[data-test="turnout"]').innerText()), 'a yes count is shown before closing')
  check(`live turnout ${before.items[0].participating_owners}/${before.total_owners} as the API, no yes/no split`)

  await page.locator('input[data-test="ballot-code"], [data-test="ballot-code"] input').first().fill(CODE)
  const groups = page.locator('[data-test="paper-form"] .el-radio-group')
  for (let i = 0; i < await groups.count(); i++) await groups.nth(i).getByText('同意').click()
  await page.locator('[data-test="enter-paper"]').click()
  await page.getByText(/已录入，回执码/).waitFor()
  const after = await apiGet(`/deliberation/matters/${RUNNING}/turnout`, tok)
  expect(after.items[0].participating_owners === before.items[0].participating_owners + 1,
    `turnout before ${before.items[0].participating_owners}, after ${after.items[0].participating_owners}`)
  await page.mouse.move(1, 1)
  await accessibility(page, 'matter')
  report.screenshots.push(await shot(page, 'deliberation-matter'))
  clean(page, 'matter')
  check('a paper ballot entered by its code; the API counts one more owner taking part')

  await page.goto(`${BASE}/deliberation/appeals?unit=${COMPOUND}`)
  await page.locator('[data-test="appeals"] .el-table__row').first().waitFor()
  const appeals = await allPages('/deliberation/appeals', tok, { compound_id: COMPOUND })
  const overdue = appeals.filter((a) => a.overdue).length
  expect(await page.locator('[data-test="appeals"] .overdue').count() === overdue, `overdue flags: the API has ${overdue}`)
  const fresh = appeals.find((a) => a.status === 'submitted')
  const row = page.locator('[data-test="appeals"] .el-table__row', { hasText: fresh.summary }).first()
  await row.locator('.assign').click()
  await page.getByText('已保存').waitFor()
  const assigned = await apiGet(`/deliberation/appeals/${fresh.id}`, tok)
  expect(assigned.status === 'assigned' && assigned.reply_due_on, `the API has ${assigned.status}`)
  await row.getByText(assigned.reply_due_on).waitFor()
  await page.mouse.move(1, 1)
  await accessibility(page, 'appeals')
  report.screenshots.push(await shot(page, 'deliberation-appeals'))
  clean(page, 'appeals')
  check(`appeals board: ${overdue} overdue flagged; assigned "${fresh.summary}", due ${assigned.reply_due_on}`)
})
