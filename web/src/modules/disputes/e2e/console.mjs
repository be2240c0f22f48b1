// Staff in the console: the street admin searches the case list (漏水), opens a worked
// case, adds a session record and checks its log chain, then sees the three shares and
// the campaign progress. Every change is read back through the API.
// Env: BASE_URL, CASE_ID (a case in mediation), SCREENSHOTS.
import { accessibility, allPages, clean, expect, openPage, run, shot, token, BASE } from '../../../../e2e/lib.mjs'

const USER = process.env.STAFF_USER ?? 'street_admin'
const PASSWORD = process.env.PASSWORD ?? 'Fazhi2026!'
const CASE_ID = process.env.CASE_ID

/** The pointer off the buttons and nothing focused: colours are measured at rest, not
 * in a button's hover shade. */
async function rest(page) {
  await page.mouse.move(0, 0)
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur())
}

run('disputes-console', async (browser, report) => {
  const page = await openPage(browser, { viewport: { width: 1366, height: 900 } })
  const check = (what) => report.checks.push(what)
  await page.goto(`${BASE}/login`)
  await page.fill('#login-username', USER)
  await page.fill('#login-password', PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByText('欢迎使用法治小区工作台').waitFor()

  // The list: search in Chinese
  await page.goto(`${BASE}/disputes/cases`)
  await page.getByRole('heading', { name: /矛盾纠纷台账/ }).waitFor()
  await page.fill('#disputes-q', '漏水')
  await page.getByRole('button', { name: '检索' }).click()
  await page.locator('.cases .el-table__row', { hasText: '漏水' }).first().waitFor()
  const rows = await page.locator('.cases .el-table__row').allInnerTexts()
  expect(rows.length > 0 && rows.every((r) => r.includes('漏水')), `rows without 漏水: ${rows.slice(0, 3)}`)
  await rest(page)
  await accessibility(page, 'case list')
  report.screenshots.push(await shot(page, 'disputes-cases'))
  check(`searched 漏水: ${rows.length} rows, each mentions it`)

  // A case: add a session record, check the chain
  await page.goto(`${BASE}/disputes/cases/${CASE_ID}`)
  await page.getByText('办理日志（哈希链）').waitFor()
  const text = `浏览器补充的调解记录 ${Date.now()}`
  await page.fill('#record-text', text)
  await page.getByRole('button', { name: '补充材料' }).click()
  await page.getByText(text).waitFor()
  const tok = await token(USER, PASSWORD)
  const records = await allPages(`/disputes/cases/${CASE_ID}/records`, tok)
  expect(records.filter((r) => r.text === text && r.kind === 'session').length === 1, 'the record is not in the API once')
  await page.getByRole('button', { name: '校验日志链' }).click()
  await page.getByText(/日志链完整：共 \d+ 条/).waitFor()
  const log = await allPages(`/disputes/cases/${CASE_ID}/log`, tok)
  expect(log.at(-1).action === 'record.session', `the last log entry: ${log.at(-1).action}`)
  await rest(page)
  await accessibility(page, 'case page')
  report.screenshots.push(await shot(page, 'disputes-case'))
  check('added a session record (read back once), the log ends with it, the chain check says whole')

  // Statistics and campaigns
  await page.goto(`${BASE}/disputes/statistics`)
  await page.getByText('小事不出小区').first().waitFor()
  await page.locator('.in-compound').waitFor()
  const shown = await page.locator('.in-compound').innerText()
  expect(/^\d+\/\d+/.test(shown), `the share reads ${shown}`)
  await page.locator('[role="img"]').first().waitFor()
  await accessibility(page, 'statistics')
  report.screenshots.push(await shot(page, 'disputes-statistics'))
  check(`statistics: 小事不出小区 ${shown}, charts drawn`)
  await page.goto(`${BASE}/disputes/campaigns`)
  await page.getByText('小区环境专项整治行动').first().waitFor()
  await page.getByText('整改进度').first().waitFor()
  await accessibility(page, 'campaigns')
  report.screenshots.push(await shot(page, 'disputes-campaigns'))
  check('campaign progress per unit shown')
  clean(page, 'disputes console')
})
