// Staff: the street admin signs in → picks a compound by name → adds a building with
// units → imports a workbook with a bad row (progress bar, the row's error) → sees the
// electorate's totals → exports the coverage report. Every change is read back through
// the API. Env: BASE_URL, WORKBOOK (an .xlsx whose 8幢 rows include one bad row,
// BAD_ROW its Excel row), SCREENSHOTS.
import { readFileSync } from 'node:fs'
import { accessibility, allPages, apiGet, clean, expect, noHorizontalScroll, openPage, run, shot, token, BASE } from './lib.mjs'

const USER = process.env.STAFF_USER ?? 'street_admin'
const PASSWORD = process.env.PASSWORD ?? 'Fazhi2026!'
const WORKBOOK = process.env.WORKBOOK
const BAD_ROW = process.env.BAD_ROW ?? '3'
const BUILDING = process.env.BUILDING ?? '8幢'

run('staff', async (browser, report) => {
  const page = await openPage(browser, { viewport: { width: 1366, height: 900 } })
  const check = (what) => report.checks.push(what)

  // Login
  await page.goto(`${BASE}/`)
  await page.waitForURL(/\/login/)
  await page.getByRole('heading', { name: '法治小区工作台' }).waitFor()
  expect(await page.evaluate(() => document.documentElement.lang) === 'zh-CN', 'lang is not zh-CN')
  await accessibility(page, 'login')
  report.screenshots.push(await shot(page, 'console-login'))
  await page.fill('#login-username', USER)
  await page.fill('#login-password', PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByText('欢迎使用法治小区工作台').waitFor()
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)
  expect(!stored.includes(PASSWORD) && !/eyJ[A-Za-z0-9_-]{10,}/.test(stored), `a password or token in storage: ${stored}`)
  check('signed in; no token or password in cookies or storage')

  // Scope picker by names
  await page.locator('.scope-picker').click()
  await page.locator('.el-cascader-node', { hasText: '济川街道' }).click()
  await page.locator('.el-cascader-node', { hasText: '阳光社区' }).click()
  await page.locator('.el-cascader-node', { hasText: '阳光花园' }).click()
  await page.waitForURL(/\/compounds\//)
  const compoundId = page.url().split('/compounds/')[1].split(/[?#]/)[0]
  await page.getByRole('heading', { name: '阳光花园' }).waitFor()
  const crumbs = await page.locator('.el-breadcrumb').innerText()
  for (const name of ['首页', '济川街道', '阳光社区', '阳光花园']) expect(crumbs.includes(name), `breadcrumb lacks ${name}: ${crumbs}`)
  check('picked 济川街道 → 阳光社区 → 阳光花园 by name; breadcrumb by names')

  // A building with units; the form survives a reload (a draft in the browser)
  await page.fill('#building-name', BUILDING)
  await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('fazhi.draft.org.building.')))
  await page.reload()
  if (/\/login/.test(page.url()) || await page.locator('#login-username').isVisible().catch(() => false)) {
    await page.fill('#login-username', USER)
    await page.fill('#login-password', PASSWORD)
    await page.getByRole('button', { name: '登录' }).click()
  }
  await page.waitForURL(/\/compounds\//)
  await page.getByText('已恢复未提交的草稿').waitFor()
  expect(await page.inputValue('#building-name') === BUILDING, 'the draft was not restored after a reload')
  await page.getByRole('button', { name: '新增楼栋' }).click()
  await page.locator('.buildings').getByText(BUILDING).waitFor()
  await page.fill('#unit-names', '101 102 201')
  await page.getByRole('button', { name: '新增房屋' }).click()
  for (const u of ['101', '102', '201']) await page.locator('.units').getByText(u, { exact: true }).waitFor()
  await accessibility(page, 'compound page')
  report.screenshots.push(await shot(page, 'console-compound'))
  const tok = await token(USER, PASSWORD)
  const buildings = await allPages(`/org/units/${compoundId}/children`, tok)
  expect(buildings.filter((b) => b.name === BUILDING).length === 1, `${BUILDING} was not created exactly once`)
  const building = buildings.find((b) => b.name === BUILDING)
  expect(building, `the API has no building ${BUILDING}`)
  const units = (await allPages(`/org/units/${building.id}/children`, tok)).map((u) => u.name).sort()
  expect(JSON.stringify(units) === JSON.stringify(['101', '102', '201']), `units read back: ${units}`)
  const drafts = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fazhi.draft.')))
  expect(drafts.length === 0, `drafts left after their writes: ${drafts}`)
  check(`the building form survived a reload; added ${BUILDING} with 101 102 201 once each; read back through the API`)

  // A unit's residents: one moves in; one is registered on their behalf (代办)
  await page.locator('.units .el-table__row', { hasText: '102' }).getByRole('button', { name: '住户' }).click()
  await page.fill('#resident-name', '钱租客')
  await page.locator('.el-drawer').getByRole('button', { name: '登记入住' }).click()
  await page.locator('.residents').getByText('钱租客').waitFor()
  await page.fill('#errand-name', '孙老人')
  await page.getByRole('button', { name: '提交代办' }).click()
  await page.getByText('已代办注册，等待确认').waitFor()
  await accessibility(page, 'residents drawer')
  report.screenshots.push(await shot(page, 'console-residents'))
  await page.keyboard.press('Escape')
  await page.locator('.el-drawer', { hasText: '钱租客' }).waitFor({ state: 'hidden' })
  const unit102 = (await allPages(`/org/units/${building.id}/children`, tok)).find((u) => u.name === '102')
  const residents = await allPages(`/org/units/${unit102.id}/residents`, tok)
  expect(residents.some((r) => r.name === '钱租客' && r.relation === 'tenant'), 'the resident moved in is not in the API')
  const claims = await allPages('/org/resident-claims', tok, { unit_id: unit102.id })
  expect(claims.length === 1 && claims[0].status === 'pending', `the errand's claim: ${JSON.stringify(claims)}`)
  check('a tenant moved into 102; a resident registered on their behalf with a pending claim; read back')

  // An owner recorded for 101
  await page.getByRole('tab', { name: '业主', exact: true }).click()
  await page.locator('.owner-form .el-form-item', { hasText: '楼栋' }).locator('.el-select__wrapper').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: BUILDING }).click()
  await page.locator('.owner-form .el-form-item', { hasText: '房号' }).locator('.el-select__wrapper').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^101$/ }).click()
  await page.fill('#owner-name', '周业主')
  await page.fill('#owner-id-number', process.env.OWNER_ID_NUMBER)
  await page.getByRole('button', { name: '登记', exact: true }).click()
  await page.locator('.el-table__row', { hasText: '周业主' }).waitFor()
  const unit101 = (await allPages(`/org/units/${building.id}/children`, tok)).find((u) => u.name === '101')
  const owners101 = await apiGet(`/org/units/${unit101.id}/owners`, tok)
  expect(JSON.stringify(owners101).includes('周业主'), `101's owners in the API: ${JSON.stringify(owners101)}`)
  const shown = await page.locator('.el-tabs__content').innerText()
  expect(!shown.includes(process.env.OWNER_ID_NUMBER), 'the ID number is shown unmasked')
  check('周业主 recorded as the owner of 101 (ID number never shown); read back through the API')

  // Workbook import with a bad row
  await page.getByRole('tab', { name: '批量导入导出' }).click()
  await page.setInputFiles('#workbook-file', WORKBOOK)
  await page.getByRole('button', { name: '开始导入' }).click()
  await page.locator('.el-progress').waitFor()
  const sawRunning = await page.getByText('正在导入…').isVisible().catch(() => false)
  await page.getByText('导入完成').waitFor({ timeout: 60000 })
  const errors = await page.locator('.row-errors').innerText()
  expect(errors.includes(BAD_ROW) && errors.includes('登记面积'), `row errors: ${errors}`)
  await accessibility(page, 'import')
  report.screenshots.push(await shot(page, 'console-import'))
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载错误清单' }).click()])
  const errorsFile = readFileSync(await download.path(), 'utf8')
  expect(errorsFile.includes('登记面积'), 'the downloaded errors lack the reason')
  const imported = (await allPages(`/org/units/${building.id}/children`, tok)).map((u) => u.name)
  expect(imported.includes('301'), `the import's unit 301 is not in the API: ${imported}`)
  check(`imported the workbook (progress bar${sawRunning ? ' while running' : ''}); row ${BAD_ROW} refused with its reason; errors downloaded; 301 read back`)

  // Electorate totals
  await page.getByRole('tab', { name: '业主表决权' }).click()
  await page.locator('.total-owners').waitFor()
  const owners = (await page.locator('.total-owners').innerText()).trim()
  const area = (await page.locator('.total-area').innerText()).trim()
  const electorate = await apiGet(`/org/compounds/${compoundId}/electorate`, tok)
  expect(owners === String(electorate.total_owners), `owners shown ${owners}, API ${electorate.total_owners}`)
  expect(area === (electorate.total_area / 100).toFixed(2), `area shown ${area}, API ${electorate.total_area}`)
  expect(electorate.total_owners > 0, 'the imported owners are not in the electorate')
  check(`electorate: ${owners} owners, ${area} m², as the API counts`)

  // The compound's organisation; the mediation committee refused with its rules named
  await page.getByRole('tab', { name: '组织架构' }).click()
  await page.getByText('设立人民调解委员会').waitFor()
  await page.getByRole('button', { name: '添加成员' }).click()
  await page.getByRole('combobox', { name: '成员 1' }).click()
  await page.locator('.el-select-dropdown__item:visible').first().click()
  await page.getByText('尚不符合组成要求').waitFor()
  await page.getByRole('button', { name: '提交设立' }).click()
  const refusal = page.locator('.mediation .el-form-item__error, .mediation .err').first()
  await refusal.waitFor()
  const refusalText = await refusal.innerText()
  expect(/[\u4e00-\u9fff]/.test(refusalText), `the refusal is not in Chinese: ${refusalText}`)
  await accessibility(page, 'organisation')
  report.screenshots.push(await shot(page, 'console-organisation'))
  const organisation = await apiGet(`/org/compounds/${compoundId}/organisation`, tok)
  expect(!organisation.mediation_committee || (organisation.mediation_committee.members ?? []).length >= 3,
    'a one-member mediation committee was set up')
  check(`organisation shown; a one-member mediation committee refused next to the field: ${refusalText.slice(0, 60)}`)

  // People: masked, revealed for a stated reason
  await page.getByRole('menuitem', { name: '人员查询' }).click()
  await page.locator('.people .el-table__row').first().waitFor()
  await page.fill('#people-q', '导入业主1')
  await page.getByRole('button', { name: '搜索' }).click()
  await page.locator('.people .el-table__row', { hasText: '导入业主1' }).first().waitFor()
  const masked = await page.locator('.people').innerText()
  expect(/\*{4}/.test(masked), 'ID numbers or phones are not masked in the list')
  await page.locator('.people .el-table__row', { hasText: '导入业主1' }).first().getByRole('button', { name: '查看完整信息' }).click()
  await page.locator('.el-message-box input').fill('核对业主身份（端到端测试）')
  await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
  await page.getByText('完整信息（已记入审计日志）').waitFor()
  const full = await page.locator('.el-dialog').innerText()
  expect(/[0-9]{17}[0-9X]/.test(full), 'the revealed ID number is not shown in full')
  await accessibility(page, 'people')
  report.screenshots.push(await shot(page, 'console-people-revealed'))
  await page.locator('.el-dialog__headerbtn').click()
  check('people listed masked; one revealed in full after a stated reason')

  // Errands
  await page.getByRole('menuitem', { name: '代办记录' }).click()
  await page.locator('.errands').getByText('代为注册住户').first().waitFor()
  await accessibility(page, 'errands')
  check('errands list the registration done on a resident\'s behalf')

  // Accounts and grants
  await page.getByRole('menuitem', { name: '账号与授权' }).click()
  await page.locator('.accounts .el-table__row').first().waitFor()
  const accountsText = await page.locator('.accounts').innerText()
  expect(accountsText.includes('社区工作者') || accountsText.includes('网格员'), 'role labels missing in accounts')
  await accessibility(page, 'accounts')
  report.screenshots.push(await shot(page, 'console-accounts'))
  check('accounts listed with their grants by role label and unit name')

  // Coverage report over the community, exported
  await page.getByRole('menuitem', { name: '“五有”覆盖情况' }).click()
  await page.locator('.coverage-table').getByText('阳光花园').waitFor()
  await page.locator('canvas').first().waitFor()
  const count = (await page.locator('.compound-count').innerText()).trim()
  const community = buildings.length ? (await apiGet(`/org/units/${compoundId}`, tok)).path.split('/').filter(Boolean).at(-2) : ''
  const coverage = await apiGet(`/org/units/${community}/five-haves-coverage`, tok)
  expect(count === String(coverage.compound_count), `coverage shows ${count} compounds, API ${coverage.compound_count}`)
  await accessibility(page, 'coverage')
  report.screenshots.push(await shot(page, 'console-coverage'))
  const [exported] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出表格' }).click()])
  const text = readFileSync(await exported.path(), 'utf8')
  expect(text.includes('阳光花园') && text.includes('物业服务企业'), 'the export lacks the compound or the labels')
  check(`coverage over 阳光社区: ${count} compounds as the API counts; exported ${exported.suggestedFilename()}`)

  // Narrow screens: the menu folds into a drawer
  await page.setViewportSize({ width: 900, height: 800 })
  await page.getByRole('button', { name: '菜单' }).waitFor()
  await noHorizontalScroll(page, 'console at 900 px')
  check('below 992 px the menu is a drawer')
  clean(page, 'console')
})
