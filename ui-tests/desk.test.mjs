// Browser tests of `dossier serve`: the real binary over a store made by the
// real `dossier ingest`, driven in headless Chromium (Debian's
// /usr/bin/chromium) by playwright-core. Run with `npm test` in ui-tests/
// (see README.md there). Environment:
//   DOSSIER_BIN      the binary (default: <repo>/target/debug/dossier)
//   CHROMIUM_PATH    the browser (default: /usr/bin/chromium)
//   UI_SCREENSHOTS   where full-page screenshots go (default: <repo>/target/ui-screenshots)
//   UI_CORRECTIONS   1: the correction forms must be there; 0: skip that test;
//                    unset: required when crates/server/src/html.rs has a name="token" field
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.resolve(ROOT, process.env.DOSSIER_BIN || 'target/debug/dossier');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.resolve(ROOT, process.env.UI_SCREENSHOTS || 'target/ui-screenshots');
const TOKEN = randomBytes(12).toString('hex');

const HOSTILE_TITLE = '<script>alert(1)</script> Zanzibar <b>bold</b> claims';
const HOSTILE_TEXT =
  'The page said <script>alert(1)</script> in Almaty and printed <b>bold</b> words about the central bank ' +
  'of Kazakhstan, with an <img src=x onerror=alert(2)> image tag and a "quoted\' attribute" breaker.\n\n' +
  'Governor Timur Suleimenov said in Almaty on Friday that the zanzibarite rate would rise by 50 basis points.';
const HOSTILE_SOURCE = 'Evil"><i>Outlet';

function correctionsRequired() {
  const v = process.env.UI_CORRECTIONS;
  if (v === '1') return true;
  if (v === '0') return false;
  try {
    return /name=\\?"token\\?"/.test(fs.readFileSync(path.join(ROOT, 'crates/server/src/html.rs'), 'utf8'));
  } catch {
    return false;
  }
}

let tmp, server, base, browser, serverLog = '';
const dialogs = [];
const pageErrors = [];

/** The fixture: the first 60 English and 10 Russian demo articles plus hostile ones. */
function buildStore() {
  if (!fs.existsSync(BIN)) {
    throw new Error(`dossier binary not found at ${BIN}: run \`cargo build -p dossier-cli\` or set DOSSIER_BIN`);
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-ui-'));
  const lines = (file, n) =>
    fs.readFileSync(path.join(ROOT, 'demo/corpus', file), 'utf8').split('\n').filter(Boolean).slice(0, n);
  const hostile = [
    { url: 'https://evil.example/a"><script>alert(3)</script>', title: HOSTILE_TITLE, text: HOSTILE_TEXT,
      source: HOSTILE_SOURCE, published: '2006-02-01', language: 'en' },
    { url: 'javascript:alert(4)', title: 'A <img src=x onerror=alert(5)> zanzibarite headline',
      text: 'Officials in Almaty said <svg onload=alert(6)> nothing new about the zanzibarite deal on Monday.',
      source: HOSTILE_SOURCE, published: '2006-01-30', language: 'en' },
  ].map((r) => JSON.stringify(r));
  const input = path.join(tmp, 'corpus.jsonl');
  fs.writeFileSync(input, [...lines('wikinews-en.jsonl', 60), ...lines('wikinews-ru.jsonl', 10), ...hostile].join('\n') + '\n');
  const out = spawnSync(BIN, ['--data', path.join(tmp, 'store'), 'ingest', input], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`dossier ingest failed (${out.status}): ${out.stderr}`);
  // A saved brief over the whole corpus: the front page shows the newest one.
  const brief = spawnSync(BIN, ['--data', path.join(tmp, 'store'), 'brief', '--since', '2000-01-01'], { encoding: 'utf8' });
  if (brief.status !== 0) throw new Error(`dossier brief failed (${brief.status}): ${brief.stderr}`);
}

/** Starts `dossier serve --port 0` and reads the address it prints. */
function startServer() {
  const env = { ...process.env, DOSSIER_TOKEN: TOKEN };
  delete env.DOSSIER_DATA;
  server = spawn(BIN, ['--data', path.join(tmp, 'store'), 'serve', '--port', '0', '--bind', '127.0.0.1'], {
    env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr.on('data', (d) => { serverLog += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dossier serve printed no address in 20 s: ${serverLog}`)), 20000);
    server.on('exit', (code) => reject(new Error(`dossier serve exited (${code}): ${serverLog}`)));
    readline.createInterface({ input: server.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const m = line.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (!m) reject(new Error(`no address in ${JSON.stringify(line)}`));
      else resolve(m[0]);
    });
  });
}

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, javaScriptEnabled: true });
  const page = await context.newPage();
  page.on('dialog', async (d) => { dialogs.push(`${page.url()}: ${d.type()} ${d.message()}`); await d.dismiss(); });
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Loads `url`, checks the status and the ` · dossier` title, saves a screenshot. */
async function load(page, url, name, status = 200) {
  const resp = await page.goto(base + url);
  assert.ok(resp, `${url}: no response`);
  assert.equal(resp.status(), status, `${url}: status ${resp.status()}, expected ${status}`);
  assert.match(resp.headers()['content-type'] || '', /^text\/html/, `${url}: not HTML`);
  assert.match(await page.title(), / · dossier$/, `${url}: title ${JSON.stringify(await page.title())}`);
  await shot(page, name);
  return resp;
}

/** Clicks something that navigates and returns the final response (after redirects). */
async function clickAndWait(page, locator) {
  const [resp] = await Promise.all([page.waitForNavigation(), locator.click()]);
  assert.ok(resp, 'the click led to no response');
  return resp;
}

async function api(page, url) {
  const r = await page.request.get(base + url);
  assert.equal(r.status(), 200, `${url}: status ${r.status()}: ${await r.text()}`);
  return r.json();
}

/** Every same-origin link of the page answers below 400. */
async function checkLinks(page, seen) {
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href));
  for (const href of hrefs) {
    if (!href.startsWith(base) || seen.has(href)) continue;
    seen.add(href);
    const r = await page.request.get(href);
    assert.ok(r.status() < 400, `broken link on ${page.url()}: ${href} answers ${r.status()}`);
  }
}

const texts = (page, selector) => page.locator(selector).allTextContents();

describe('dossier serve in Chromium', { timeout: 180_000 }, () => {
  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    buildStore();
    base = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: [
      '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ] });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) { server.removeAllListeners('exit'); server.kill(); }
    if (serverLog.trim()) console.log(`dossier serve stderr:\n${serverLog}`);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('front page lists stories and articles, and its links work', async () => {
    const page = await newPage();
    await load(page, '/', 'front');
    assert.equal(await page.title(), 'Latest · dossier');
    assert.equal(await page.locator('h1').first().textContent(), 'Latest');
    assert.ok(await page.locator('a[href^="/stories/"]').count() >= 5, 'fewer than 5 story links');
    assert.ok(await page.locator('a[href^="/articles/"]').count() >= 20, 'fewer than 20 article links');
    await checkLinks(page, new Set());
    await page.context().close();
  });

  it('front page brief -> the article a sentence cites', async () => {
    const page = await newPage();
    await load(page, '/', 'front-brief');
    const section = page.locator('section.brief');
    assert.match(await section.locator('h2').textContent(), /^Brief \d+: /);
    const items = await section.locator('h3 a[href^="/stories/"]').count();
    assert.ok(items >= 1, 'the brief shows no item');
    const cite = section.locator('a[href^="/articles/"]').first();
    const href = await cite.getAttribute('href');
    const resp = await clickAndWait(page, cite);
    assert.equal(resp.status(), 200, `${href} answers ${resp.status()}`);
    assert.ok(page.url().endsWith(href), `${page.url()} is not ${href}`);
    assert.ok((await page.locator('.text').textContent()).length > 100, 'the cited article has no text');
    await shot(page, 'brief-citation');
    await page.context().close();
  });

  it('front page -> article -> entity by following links', async () => {
    const page = await newPage();
    await load(page, '/', 'front');
    const link = page.locator('section:has(h2:text-is("Articles")) a[href^="/articles/"]')
      .filter({ hasNotText: 'alert' }).first();
    const title = (await link.textContent()).trim();
    let resp = await clickAndWait(page, link);
    assert.equal(resp.status(), 200);
    assert.match(page.url(), /\/articles\/[0-9a-f]{32}$/);
    assert.equal((await page.locator('article h1').textContent()).trim(), title);
    assert.equal(await page.title(), `${title} · dossier`);
    assert.match(await page.locator('article .meta').first().textContent(), /Wikinews/);
    assert.ok((await page.locator('.text').textContent()).length > 200, 'article text is short');
    await shot(page, 'article');
    await checkLinks(page, new Set());

    const ent = page.locator('.text a.ent').first();
    assert.ok(await ent.count(), `no entity link on ${page.url()}`);
    resp = await clickAndWait(page, ent);
    assert.equal(resp.status(), 200, `entity page ${page.url()} answers ${resp.status()}`);
    assert.match(page.url(), /\/entities\//);
    assert.ok((await texts(page, 'h2')).includes('Names and variants'));
    assert.ok(await page.locator('a[href^="/articles/"]').count() >= 1, 'entity page lists no article');
    await shot(page, 'entity-from-article');
    await page.context().close();
  });

  it('search form: query, results with highlights, facet link', async () => {
    const page = await newPage();
    await load(page, '/', 'front');
    await page.locator('header input[name="q"]').fill('Apple');
    let resp = await clickAndWait(page, page.locator('header form button'));
    assert.equal(resp.status(), 200);
    assert.match(page.url(), /\/search\?q=Apple$/);
    assert.equal(await page.title(), 'Search: Apple · dossier');
    assert.equal(await page.locator('header input[name="q"]').inputValue(), 'Apple');
    const results = page.locator('ol.results > li');
    const n = await results.count();
    assert.ok(n >= 3, `only ${n} result(s) for Apple`);
    assert.ok(await page.locator('ol.results mark').count() >= 1, 'no highlighted terms');
    await shot(page, 'search-form');

    const facet = page.locator('aside.facets a').first();
    assert.ok(await facet.count(), 'no facet links');
    const facetName = (await facet.textContent()).trim();
    resp = await clickAndWait(page, facet);
    assert.equal(resp.status(), 200);
    assert.match(page.url(), /[?&](source|lang)=/);
    const m = await results.count();
    assert.ok(m >= 1 && m <= n, `facet ${facetName}: ${m} result(s) of ${n}`);
    await shot(page, 'search-facet');

    const first = results.first().locator('a[href^="/articles/"]');
    resp = await clickAndWait(page, first);
    assert.equal(resp.status(), 200);
    assert.match(page.url(), /\/articles\//);
    await page.context().close();
  });

  it('each page loads directly: search, article, entity, story, sources, errors', async () => {
    const page = await newPage();
    await load(page, '/search?q=election', 'search');
    assert.equal(await page.title(), 'Search: election · dossier');
    assert.match(await page.locator('main p.meta').first().textContent(), /\d+ result\(s\)/);
    await load(page, '/search', 'search-empty');

    const [a] = await api(page, '/api/articles?limit=1&lang=ru');
    assert.ok(a, 'no Russian article in the fixture');
    await load(page, `/articles/${a.id}`, 'article-ru');
    assert.equal((await page.locator('article h1').textContent()).trim(), a.title);
    await load(page, `/articles/${a.id.slice(0, 8)}`, 'article-prefix');

    const [e] = await api(page, '/api/entities?limit=1');
    await load(page, `/entities/${encodeURIComponent(e.canonical)}`, 'entity');
    assert.equal((await page.locator('h1').textContent()).trim(), e.canonical);
    assert.equal(await page.title(), `${e.canonical} · dossier`);
    await checkLinks(page, new Set());

    const stories = await api(page, '/api/stories');
    const s = stories.find((x) => x.articles > 1) || stories[0];
    await load(page, `/stories/${s.id}`, 'story');
    assert.equal((await page.locator('h1').textContent()).trim(), s.label);
    assert.equal(await page.locator('main ol a[href^="/articles/"]').count(), s.articles);
    await checkLinks(page, new Set());

    await load(page, '/sources', 'sources');
    assert.equal((await page.locator('h1').textContent()).trim(), 'Sources');
    await load(page, '/storylines', 'storylines');
    await checkLinks(page, new Set());

    await load(page, '/articles/ffffffffffffffffffffffffffffffff', 'error-404', 404);
    await load(page, '/no/such/page', 'error-404-page', 404);
    await load(page, '/stories/not-a-number', 'error-400', 400);
    await page.context().close();
  });

  it('hostile markup in articles shows as text and never runs', async () => {
    const page = await newPage();
    const hits = await api(page, '/api/search?q=zanzibarite');
    assert.equal(hits.length, 2, `hostile articles found: ${hits.length}`);
    const hostile = hits.find((h) => h.title.startsWith('<script>'));
    assert.ok(hostile, `hostile title not kept: ${JSON.stringify(hits.map((h) => h.title))}`);

    await load(page, `/articles/${hostile.id}`, 'hostile-article');
    assert.equal(await page.title(), `${HOSTILE_TITLE} · dossier`);
    assert.equal((await page.locator('article h1').textContent()).trim(), HOSTILE_TITLE);
    const text = await page.locator('.text').textContent();
    assert.ok(text.includes('<script>alert(1)</script>'), `script tag not shown as text: ${text}`);
    assert.ok(text.includes('<b>bold</b>'), 'b tag not shown as text');
    assert.ok(text.includes('<img src=x onerror=alert(2)>'), 'img tag not shown as text');
    assert.ok((await page.locator('.meta').first().textContent()).includes(HOSTILE_SOURCE), 'outlet not shown as text');
    assert.equal(await page.locator('script').count(), 0, 'a <script> element is in the page');
    assert.equal(await page.locator('main b, main img, main svg, main i').count(), 0, 'injected elements in the page');
    assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, 'javascript: link');

    const other = hits.find((h) => h !== hostile);
    await load(page, `/articles/${other.id}`, 'hostile-article-2');
    assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, 'javascript: link to the original');
    assert.equal(await page.locator('main img, main svg').count(), 0, 'injected elements in the page');

    await load(page, '/search?q=zanzibarite', 'hostile-search');
    assert.equal(await page.locator('ol.results > li').count(), 2);
    assert.ok((await page.locator('ol.results').textContent()).includes('<script>alert(1)</script>'));
    const facets = await texts(page, 'aside.facets a');
    assert.ok(facets.includes(HOSTILE_SOURCE), `outlet facet: ${JSON.stringify(facets)}`);
    assert.equal(await page.locator('script, main img, main svg, main b, main i').count(), 0);
    const facet = page.locator('aside.facets a', { hasText: HOSTILE_SOURCE });
    const resp = await clickAndWait(page, facet);
    assert.equal(resp.status(), 200);
    assert.equal(await page.locator('ol.results > li').count(), 2, 'the outlet facet with markup in its name');

    const q = '"><script>alert(7)</script><b>q</b>';
    await load(page, `/search?q=${encodeURIComponent(q)}`, 'hostile-query');
    assert.equal(await page.locator('header input[name="q"]').inputValue(), q);
    assert.equal(await page.locator('script, main b').count(), 0);

    await load(page, '/', 'front-hostile');
    assert.ok((await page.locator('main').textContent()).includes(HOSTILE_TITLE), 'hostile title not on the front page');
    assert.equal(await page.locator('script, main b, main img').count(), 0);
    await page.context().close();
    assert.deepEqual(dialogs, [], `dialogs fired: ${dialogs.join('; ')}`);
    assert.deepEqual(pageErrors, [], `page errors: ${pageErrors.join('; ')}`);
  });

  const required = correctionsRequired();
  it('corrections through the forms: merge entities, move an article', { skip: !required && 'the correction forms are not in this build (crates/server/src/html.rs has no name="token" field; UI_CORRECTIONS=1 forces this test)' }, async () => {
    const page = await newPage();

    // Merge: two people; the wrong token is refused and changes nothing.
    const people = (await api(page, '/api/entities?type=PER&limit=100')).filter((e) => e.articles >= 1);
    assert.ok(people.length >= 2, 'fewer than two people in the fixture');
    const [from, into] = [people[people.length - 1], people[people.length - 2]];
    const fromDetail = await api(page, `/api/entities/${encodeURIComponent(from.canonical)}`);
    const intoDetail = await api(page, `/api/entities/${encodeURIComponent(into.canonical)}`);
    const wanted = new Set([...fromDetail.variants, ...intoDetail.variants].map((v) => v.variant));

    await load(page, `/entities/${encodeURIComponent(from.canonical)}`, 'merge-form');
    const merge = page.locator('form[data-action="merge-entity"]');
    assert.equal(await merge.count(), 1, 'no form[data-action="merge-entity"] on the entity page');
    assert.equal((await merge.getAttribute('method') || '').toLowerCase(), 'post');
    assert.equal(await merge.getAttribute('action'), `/entities/${fromDetail.id}/merge`);
    await merge.locator('input[name="into"]').fill(into.canonical);
    await merge.locator('input[type="password"][name="token"]').fill('wrong-token');
    let resp = await clickAndWait(page, merge.locator('button, input[type="submit"]').first());
    assert.equal(resp.status(), 403, `merge with a wrong token answered ${resp.status()}`);
    await shot(page, 'merge-refused');
    const still = await api(page, `/api/entities/${encodeURIComponent(from.canonical)}`);
    assert.equal(still.id, fromDetail.id, 'the refused merge changed the entity');

    await load(page, `/entities/${encodeURIComponent(from.canonical)}`, 'merge-form');
    await merge.locator('input[name="into"]').fill(into.canonical);
    await merge.locator('input[name="token"]').fill(TOKEN);
    resp = await clickAndWait(page, merge.locator('button, input[type="submit"]').first());
    assert.equal(resp.status(), 200, `merge answered ${resp.status()}`);
    const post = resp.request().redirectedFrom();
    assert.ok(post, 'the merge did not redirect');
    assert.equal((await post.response()).status(), 303, 'the merge did not answer 303');
    assert.match(page.url(), /\/entities\//);
    const variantsAfter = async () => page.locator('h2:text("Names and variants") + ul li').allTextContents();
    for (const check of ['merged', 'merged-reloaded']) {
      const listed = (await variantsAfter()).join('\n');
      for (const v of wanted) assert.ok(listed.includes(v), `${check}: variant ${v} missing from ${page.url()}: ${listed}`);
      await shot(page, check);
      await page.reload();
    }

    // Move an article from a story into another, then into a new story.
    const stories = await api(page, '/api/stories?limit=1000');
    const [src, dst] = [stories[stories.length - 1], stories[stories.length - 2]];
    const srcDetail = await api(page, `/api/stories/${src.id}`);
    const article = srcDetail.members[0].id;
    await load(page, `/stories/${src.id}`, 'move-form');
    const move = page.locator('form[data-action="move-article"]', { has: page.locator(`input[name="article"][value="${article}"]`) });
    assert.equal(await move.count(), 1, `no form[data-action="move-article"] for article ${article}`);
    assert.equal((await move.getAttribute('method') || '').toLowerCase(), 'post');
    assert.equal(await move.getAttribute('action'), `/stories/${src.id}/move`);
    const setStory = async (value) => {
      const field = move.locator('[name="story"]');
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    };
    await setStory(String(dst.id));
    await move.locator('input[name="token"]').fill(TOKEN);
    resp = await clickAndWait(page, move.locator('button, input[type="submit"]').first());
    assert.equal(resp.status(), 200, `move answered ${resp.status()}`);
    assert.ok(page.url().endsWith(`/stories/${dst.id}`), `move led to ${page.url()}, not story ${dst.id}`);
    for (const check of ['moved', 'moved-reloaded']) {
      assert.equal(await page.locator(`main a[href="/articles/${article}"]`).count(), 1, `${check}: article ${article} not in story ${dst.id}`);
      await shot(page, check);
      await page.reload();
    }
    const moved = await api(page, `/api/stories/${dst.id}`);
    assert.ok(moved.members.some((m) => m.id === article), 'the API does not show the move');

    // Into a new story (empty target).
    await load(page, `/stories/${dst.id}`, 'move-form-2');
    await setStory('');
    await move.locator('input[name="token"]').fill(TOKEN);
    resp = await clickAndWait(page, move.locator('button, input[type="submit"]').first());
    assert.equal(resp.status(), 200, `move to a new story answered ${resp.status()}`);
    const m = page.url().match(/\/stories\/(\d+)$/);
    assert.ok(m && Number(m[1]) !== dst.id && Number(m[1]) !== src.id, `new-story move led to ${page.url()}`);
    await page.reload();
    assert.equal(await page.locator(`main a[href="/articles/${article}"]`).count(), 1, 'article not in its new story');
    await shot(page, 'moved-new-story');
    await page.context().close();
    assert.deepEqual(dialogs, [], `dialogs fired: ${dialogs.join('; ')}`);
  });
});
