// Budgets measured by the build: the JavaScript a browser loads (gzipped) from the login
// page to the first page after it — the compound page in the console, "my home" on the
// phone pages. Reads Vite's manifest (dist/.vite/manifest.json), follows each journey's
// entry and lazy pages through their static imports, gzips every chunk once, and fails
// (exit 1) when a journey is over its budget. Writes dist/budget.json.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'))

export const JOURNEYS = {
  console: {
    budget: 600 * 1024,
    // index.html → /login → / (home) → /compounds/:id
    steps: ['index.html', 'src/shell/LoginPage.vue', 'src/shell/ConsoleLayout.vue', 'src/shell/HomePage.vue',
      'src/modules/org/CompoundPage.vue'],
  },
  h5: {
    budget: 250 * 1024,
    // h5/index.html → /h5/login → /h5/home
    steps: ['h5/index.html', 'src/h5/pages/LoginPage.vue', 'src/h5/pages/HomePage.vue'],
  },
}

function chunksOf(key, seen) {
  const chunk = manifest[key]
  if (!chunk) throw new Error(`${key} is not in the build's manifest (renamed? update scripts/budget.mjs)`)
  if (seen.has(chunk.file)) return
  seen.add(chunk.file)
  for (const imported of chunk.imports ?? []) chunksOf(imported, seen)
}

const gzipped = new Map()
function size(file) {
  if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length)
  return gzipped.get(file)
}

const report = {}
let over = false
for (const [name, journey] of Object.entries(JOURNEYS)) {
  const files = new Set()
  for (const step of journey.steps) chunksOf(step, files)
  const js = [...files].filter((f) => f.endsWith('.js'))
  const bytes = js.reduce((sum, f) => sum + size(f), 0)
  report[name] = { gzip_bytes: bytes, budget_bytes: journey.budget, files: js.length }
  const line = `${name}: ${(bytes / 1024).toFixed(1)} KB gzipped JS in ${js.length} files (budget ${journey.budget / 1024} KB)`
  if (bytes > journey.budget) {
    over = true
    console.error(`✗ ${line}`)
  } else {
    console.log(`✓ ${line}`)
  }
}
// Nothing in the build may name another host (fonts, images, scripts): the pages load
// from the platform only.
for (const file of readdirSync(join(dist, 'assets'))) {
  if (!/\.(css|js)$/.test(file)) continue
  const text = readFileSync(join(dist, 'assets', file), 'utf8')
  const found = /url\(\s*["']?(?:https?:)?\/\/[^)]+\)/.exec(text)
  if (found) {
    over = true
    console.error(`✗ ${file} loads from another host: ${found[0].slice(0, 120)}`)
  }
}
writeFileSync(join(dist, 'budget.json'), JSON.stringify(report, null, 2))
if (over) process.exit(1)
