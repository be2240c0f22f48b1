// A resident on a 375-px phone reports a problem with a photo (made small in the
// browser), then follows it under "my disputes"; the case and its photo are read back
// through the API. Env: BASE_URL, PHOTO (a JPEG path), SCREENSHOTS.
import { accessibility, apiGet, allPages, clean, expect, noHorizontalScroll, openPage, run, shot, token, BASE } from '../../../../e2e/lib.mjs'

const USER = process.env.RESIDENT_USER ?? 'resident'
const PASSWORD = process.env.PASSWORD ?? 'Fazhi2026!'
const PHOTO = process.env.PHOTO
const PHONE_VIEW = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }

run('disputes-phone', async (browser, report) => {
  const phone = await openPage(browser, PHONE_VIEW)
  const check = (what) => report.checks.push(what)
  await phone.goto(`${BASE}/h5/login`)
  await phone.fill('#h5-phone', USER)
  await phone.fill('#h5-password', PASSWORD)
  await phone.getByRole('button', { name: '登录' }).click()
  await phone.waitForURL(/\/h5\/home/)

  await phone.goto(`${BASE}/h5/disputes/report`)
  await phone.getByText('反映矛盾纠纷').waitFor()
  const text = `楼下烧烤油烟扰民 ${Date.now()}`
  await phone.fill('#report-description', text)
  await phone.setInputFiles('.van-uploader__input', PHOTO)
  await phone.locator('.photo-chosen').waitFor()
  await noHorizontalScroll(phone, 'report at 375 px')
  await accessibility(phone, 'report a problem')
  report.screenshots.push(await shot(phone, 'h5-disputes-report'))
  await phone.getByRole('button', { name: '提交' }).click()
  await phone.waitForURL(/\/h5\/disputes\/mine\//)
  await phone.locator('.my-case-state').waitFor()
  const tok = await token(USER, PASSWORD)
  const mine = (await allPages('/disputes/cases', tok, { mine: 'true' })).filter((c) => c.summary.startsWith(text))
  expect(mine.length === 1, `the report is not in the API once: ${mine.length}`)
  const files = await apiGet(`/disputes/cases/${mine[0].id}/attachments`, tok)
  expect(files.items.length === 1 && files.items[0].content_type === 'image/jpeg', `attachments: ${JSON.stringify(files.items)}`)
  expect(files.items[0].size < Number(process.env.PHOTO_BYTES), `the photo was not made smaller: ${files.items[0].size}`)
  await noHorizontalScroll(phone, 'my case at 375 px')
  await accessibility(phone, 'my case')
  report.screenshots.push(await shot(phone, 'h5-disputes-case'))
  check('reported with a photo; the case and its smaller JPEG read back once')

  await phone.goto(`${BASE}/h5/disputes/mine`)
  await phone.locator('.my-case', { hasText: text.slice(0, 8) }).first().waitFor()
  await noHorizontalScroll(phone, 'my disputes at 375 px')
  await accessibility(phone, 'my disputes')
  report.screenshots.push(await shot(phone, 'h5-disputes-mine'))
  check('my disputes lists it')
  clean(phone, 'disputes phone pages')
})
