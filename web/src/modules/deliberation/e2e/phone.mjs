// The demo resident on a 375-px phone: votes in the running vote (the ballot and its
// receipt read back through the API), reads the closed vote's result, raises an appeal
// (read back), and opens the mirror board (no one's name on it).
// Env: BASE_URL, RUNNING_ID, SCREENSHOTS.
import { accessibility, allPages, apiGet, clean, expect, noHorizontalScroll, openPage, run, shot, token, BASE } from '../../../../e2e/lib.mjs'

const USER = process.env.RESIDENT_USER ?? 'resident'
const PASSWORD = process.env.PASSWORD ?? 'Fazhi2026!'
const RUNNING = process.env.RUNNING_ID
const PHONE_VIEW = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }

run('deliberation-phone', async (browser, report) => {
  const phone = await openPage(browser, PHONE_VIEW)
  const check = (what) => report.checks.push(what)
  await phone.goto(`${BASE}/h5/login`)
  await phone.fill('#h5-phone', USER)
  await phone.fill('#h5-password', PASSWORD)
  await phone.getByRole('button', { name: '登录' }).click()
  await phone.waitForURL(/\/h5\/home/)
  const tok = await token(USER, PASSWORD)

  await phone.goto(`${BASE}/h5/deliberation/votes`)
  const voting = phone.locator('[data-test="voting"]').first()
  await voting.waitFor()
  await phone.locator('[data-test="closed"]').first().waitFor()        // the page has loaded
  await phone.waitForLoadState('networkidle')
  const groups = voting.locator('.choices')
  for (let i = 0; i < await groups.count(); i++) await groups.nth(i).getByRole('radio', { name: '同意' }).click()
  for (let i = 0; i < await groups.count(); i++) {
    const on = await groups.nth(i).getByRole('radio', { name: '同意' }).getAttribute('aria-checked')
    expect(on === 'true', `item ${i + 1}: 同意 is not checked`)
  }
  const answered = phone.waitForResponse((r) => r.url().includes('/ballots') && r.request().method() === 'POST')
  await voting.locator('.cast').click()
  const response = await answered
  expect(response.status() === 201, `casting answered ${response.status()}: ${await response.text()}`)
  await phone.getByText(/表决已提交，回执码/).waitFor()
  const mine = await apiGet(`/deliberation/matters/${RUNNING}/my-ballots`, tok)
  expect(mine.ballots.length > 0 && mine.ballots.every((b) => b.choice === 'yes'), `my ballots: ${JSON.stringify(mine.ballots)}`)
  const receipt = await apiGet(`/deliberation/matters/${RUNNING}/receipt`, tok, { receipt_code: mine.ballots[0].receipt_code })
  expect(receipt.counted, 'the receipt is not counted')
  await phone.locator('[data-test="closed"]').first().waitFor()
  await noHorizontalScroll(phone, 'votes at 375 px')
  await accessibility(phone, 'votes')
  report.screenshots.push(await shot(phone, 'h5-deliberation-votes'))
  clean(phone, 'votes')
  check(`voted yes on ${mine.ballots.length} items; receipt ${mine.ballots[0].receipt_code} counted; the closed result shown`)

  await phone.goto(`${BASE}/h5/deliberation/appeal`)
  const text = `楼道灯不亮（浏览器测试 ${Date.now()}）`
  await phone.locator('#appeal-summary, textarea[data-test="appeal-summary"], [data-test="appeal-summary"] textarea').first().fill(text)
  await phone.locator('.submit').click()
  await phone.getByText('已提交').first().waitFor()
  const appeals = await allPages('/deliberation/appeals', tok, { mine: 'true' })
  expect(appeals.some((a) => a.summary === text), 'the appeal is not in the API')
  await phone.locator('[data-test="my-appeals"] .my-appeal', { hasText: text }).waitFor()
  await noHorizontalScroll(phone, 'appeal at 375 px')
  await accessibility(phone, 'appeal')
  clean(phone, 'appeal')
  check('raised an appeal; the API lists it as mine')

  await phone.goto(`${BASE}/h5/deliberation/mirror`)
  await phone.locator('[data-test="topics"]').waitFor()
  const shown = await phone.locator('main').innerText()
  expect(!shown.includes('蒋居民'), 'a name on the mirror board')
  await noHorizontalScroll(phone, 'mirror at 375 px')
  await accessibility(phone, 'mirror')
  report.screenshots.push(await shot(phone, 'h5-deliberation-mirror'))
  clean(phone, 'mirror')
  check('the mirror board shows topics and replies, no one\'s name')
})
