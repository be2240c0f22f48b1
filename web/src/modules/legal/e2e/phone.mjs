// A resident on a 375-px phone: who is on duty now and next, booking a consultation
// (read back through the API), cancelling it; then anyone opening a legal-literate
// person's profile from the name card's QR code: no phone number on it.
// Env: BASE_URL, LITERATE_ID, SCREENSHOTS.
import { accessibility, allPages, apiGet, clean, expect, noHorizontalScroll, openPage, run, shot, token, BASE } from '../../../../e2e/lib.mjs'


const USER = process.env.RESIDENT_USER ?? 'resident'
const PASSWORD = process.env.PASSWORD ?? 'Fazhi2026!'
const LITERATE = process.env.LITERATE_ID
const PHONE_VIEW = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }

/** The resident's confirmed bookings, once there are `n` of them (polled: the page's toast
 * may come and go before a loaded machine draws it). */
async function confirmedBookings(tok, n) {
  let found = []
  for (const until = Date.now() + 15000; Date.now() < until;) {
    found = (await allPages('/legal/bookings', tok, { mine: 'true' })).filter((b) => b.status === 'confirmed')
    if (found.length === n) return found
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`expected ${n} confirmed bookings, the API shows ${found.length}`)
}

run('legal-phone', async (browser, report) => {
  const phone = await openPage(browser, PHONE_VIEW)
  const check = (what) => report.checks.push(what)
  await phone.goto(`${BASE}/h5/login`)
  await phone.fill('#h5-phone', USER)
  await phone.fill('#h5-password', PASSWORD)
  await phone.getByRole('button', { name: '登录' }).click()
  await phone.waitForURL(/\/h5\/home/)
  const tok = await token(USER, PASSWORD)

  await phone.goto(`${BASE}/h5/legal/duty`)
  await phone.locator('[data-test="duty-now"]').waitFor()
  await phone.locator('[data-test="slots"]').waitFor()
  const before = (await allPages('/legal/bookings', tok, { mine: 'true' })).filter((b) => b.status === 'confirmed')
  await noHorizontalScroll(phone, 'on duty at 375 px')
  await accessibility(phone, 'on duty')
  report.screenshots.push(await shot(phone, 'h5-legal-duty'))
  check('on duty now and next, and the times to book, at 375 px')

  await phone.locator('[data-test="slots"] .book').first().click()
  const after = await confirmedBookings(tok, before.length + 1)
  const made = after.find((b) => !before.some((x) => x.id === b.id))
  const listed = (n) => phone.waitForFunction((k) => document.querySelectorAll('[data-test="my-bookings"] .my-booking').length === k, n)
  await listed(after.length)
  check(`booked a consultation; the API holds it (${made.helper_name})`)
  const mine = phone.locator('[data-test="my-bookings"] .my-booking').last()
  await mine.getByRole('button', { name: '取消预约' }).click()
  await confirmedBookings(tok, after.length - 1)
  await listed(after.length - 1)
  clean(phone, 'on duty')
  check('cancelled one; the API shows one fewer')

  const visitor = await openPage(browser, PHONE_VIEW)
  await visitor.goto(`${BASE}/h5/legal/people/${LITERATE}`)
  await visitor.locator('[data-test="profile"]').waitFor()
  const profile = await apiGet(`/legal/literates/${LITERATE}/profile`)
  const text = await visitor.locator('[data-test="profile"]').innerText()
  expect(text.includes(profile.name), `the profile page does not name ${profile.name}`)
  expect(!/1[3-9]\d{9}/.test(text), 'a full phone number on the public profile')
  await noHorizontalScroll(visitor, 'profile at 375 px')
  await accessibility(visitor, 'public profile')
  report.screenshots.push(await shot(visitor, 'h5-legal-profile'))
  clean(visitor, 'profile')
  check(`the public profile of ${profile.name} opens without signing in, no phone number`)
})
