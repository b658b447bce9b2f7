// Drives the gateway's web dashboard in headless Chromium (Debian's chromium, through playwright-core), as a user
// would: the local daemon through `monkey dashboard --print`'s one-time link, and, when GATEWAY_URL names a shared
// gateway, its email and password sign-in. Checks the numbers against the API, the security headers, CSRF and
// cross-site refusals, XSS payloads shown as text, and runs axe-core on every page; screenshots each page at 375
// and 1440 px wide.
//
// Environment: MONKEY (the monkey launcher), MONKEY_CODER_HOME and MONKEY_CODER_PORT (its local daemon),
// DASHBOARD_SCREENS (where screenshots go), CHROMIUM (default /usr/bin/chromium), GATEWAY_URL (optional: a shared
// gateway in gateway mode, for the second flow).
import {chromium} from 'playwright-core';
import {execFileSync} from 'node:child_process';
import {readFileSync, mkdirSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const MONKEY = process.env.MONKEY || 'monkey';
const SCREENS = process.env.DASHBOARD_SCREENS || path.resolve('target/dashboard-screens');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const XSS = '<img src=x onerror=alert(1)><script>alert(2)</script>';
const WIDTHS = [375, 1440];

let passed = 0;
let failed = 0;
const axeCounts = [];

function check(name, ok, detail = '') {
  if (ok) {
    passed++;
    console.log(`dashboard: ok   ${name}`);
  } else {
    failed++;
    console.log(`dashboard: FAIL ${name}${detail ? ' — ' + detail : ''}`);
  }
}

function dollars(micros) {
  const m = BigInt(micros);
  const abs = m < 0n ? -m : m;
  return `${m < 0n ? '-' : ''}$${abs / 1000000n}.${(abs % 1000000n).toString().padStart(6, '0')}`;
}

async function api(base, method, pathAndQuery, {key, cookie, headers = {}, body} = {}) {
  const h = {...headers};
  if (key) h.Authorization = 'Bearer ' + key;
  if (cookie) h.Cookie = cookie;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const response = await fetch(base + pathAndQuery, {method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual'});
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  return {status: response.status, headers: response.headers, json, text};
}

/** Watches a page for dialogs (an XSS that ran) and CSP violations (our own pages breaking the policy). */
function watch(page, label) {
  const state = {dialogs: 0, cspViolations: [], errors: []};
  page.on('dialog', async dialog => {
    state.dialogs++;
    await dialog.dismiss();
  });
  page.on('console', message => {
    if (/Content Security Policy/i.test(message.text())) state.cspViolations.push(message.text());
  });
  page.on('pageerror', error => state.errors.push(`${label}: ${error.message}`));
  return state;
}

async function axe(page, name) {
  // Runtime.evaluate is not script from the page's origin, so the page's CSP does not stop it.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, {resultTypes: ['violations']});
    return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}));
  });
  const serious = result.filter(v => v.impact === 'serious' || v.impact === 'critical');
  axeCounts.push({page: name, violations: result.length, serious: serious.length,
    ids: result.map(v => `${v.id}(${v.impact})`).join(' ')});
  check(`axe-core: no serious or critical violations on ${name}`, serious.length === 0,
    serious.map(v => `${v.id} ×${v.nodes}`).join(', '));
}

async function screens(page, name) {
  for (const width of WIDTHS) {
    await page.setViewportSize({width, height: 900});
    await page.waitForTimeout(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(`${name} fits ${width} px without sideways scrolling`, overflow <= 0, `overflows by ${overflow}px`);
    await page.screenshot({path: path.join(SCREENS, `${name}-${width}.png`), fullPage: true});
  }
  await page.setViewportSize({width: 1440, height: 900});
}

async function visit(page, base, hash, ready) {
  await page.goto(base + '/dashboard/#/' + hash);
  await page.waitForSelector(ready, {timeout: 15000});
}

async function sessionCookie(context) {
  const cookies = await context.cookies();
  const c = cookies.find(x => x.name === 'monkey_session');
  return c ? `monkey_session=${c.value}` : null;
}

async function localFlow(browser) {
  const port = process.env.MONKEY_CODER_PORT;
  const base = `http://127.0.0.1:${port}`;
  const home = process.env.MONKEY_CODER_HOME;
  const key = process.env.MONKEY_CODER_LOCAL_KEY || readFileSync(path.join(home, 'state', 'local.key'), 'utf8').trim();

  // A few demo requests, one of them a stored conversation whose text is an XSS payload.
  for (let i = 0; i < 3; i++) {
    const r = await api(base, 'POST', '/v1/execute', {key, body: {prompt: `dashboard check ${i}`, preferred_providers: ['demo']}});
    check(`demo request ${i + 1} answers 200`, r.status === 200, r.text.slice(0, 200));
  }
  const conversation = 'ses_dashboardxss01';
  const c = await api(base, 'POST', '/v1/execute', {key, body: {prompt: XSS, preferred_providers: ['demo'], session_id: conversation}});
  check('a conversation with an XSS payload is stored', c.status === 200, c.text.slice(0, 200));

  const index = await api(base, 'GET', '/dashboard/');
  check('/dashboard/ serves the page', index.status === 200 && index.text.includes('<main id="view"'));
  check('the page carries the strict Content-Security-Policy', index.headers.get('content-security-policy') === CSP,
    index.headers.get('content-security-policy'));
  check('nosniff and no-referrer are set', index.headers.get('x-content-type-options') === 'nosniff'
    && index.headers.get('referrer-policy') === 'no-referrer');
  check('no inline script or style in the page', !/<script(?![^>]*\bsrc=)[^>]*>/i.test(index.text) && !/<style|style=/i.test(index.text));
  const traversal = await api(base, 'GET', '/dashboard/%2e%2e/%2e%2e/etc/passwd');
  check('an encoded ../ is not served', traversal.status === 404 && !traversal.text.includes('root:'));

  const link = execFileSync(MONKEY, ['dashboard', '--print'], {encoding: 'utf8'}).trim();
  check('monkey dashboard --print prints a one-time link', /^http:\/\/127\.0\.0\.1:\d+\/dashboard\/login\?token=[A-Za-z0-9_-]{43}$/.test(link), link);

  const context = await browser.newContext({viewport: {width: 1440, height: 900}});
  const page = await context.newPage();
  const seen = watch(page, 'local');
  await page.goto(link);
  await page.waitForSelector('[data-total="requests"]', {timeout: 15000});
  check('the link signs the browser in and lands on the dashboard without the token', !page.url().includes('token='), page.url());
  const cookies = await context.cookies();
  const cookie = cookies.find(x => x.name === 'monkey_session');
  check('the session cookie is HttpOnly and SameSite=Strict', cookie && cookie.httpOnly && cookie.sameSite === 'Strict');

  // Usage: the page's totals are the API's, to the micro-dollar.
  const usage = (await api(base, 'GET', '/v1/billing/usage?days=30', {key})).json;
  const shown = await page.$$eval('[data-total]', nodes => Object.fromEntries(nodes.map(n => [n.dataset.total, n.textContent])));
  check('usage: requests match the API', shown.requests === Number(usage.totals.requests).toLocaleString('en-US'), `${shown.requests} vs ${usage.totals.requests}`);
  check('usage: cost matches the API to the micro-dollar', shown.cost_micros === dollars(usage.totals.cost_micros), `${shown.cost_micros} vs ${usage.totals.cost_micros}`);
  check('usage: tokens match the API', shown.prompt_tokens === Number(usage.totals.prompt_tokens).toLocaleString('en-US')
    && shown.completion_tokens === Number(usage.totals.completion_tokens).toLocaleString('en-US'));
  const bars = await page.$$eval('rect.bar', nodes => nodes.map(n => ({day: n.dataset.day, value: Number(n.dataset.value)})));
  const barTotal = bars.reduce((s, b) => s + b.value, 0);
  check('usage: the chart has one bar per day and they add up to the requests', bars.length >= 30 && barTotal === usage.totals.requests,
    `${bars.length} bars, ${barTotal} requests`);
  await page.selectOption('#usage-metric', 'cost');
  const costBars = await page.$$eval('rect.bar', nodes => nodes.reduce((s, n) => s + Number(n.dataset.value), 0));
  check('usage: the cost chart adds up to the API\'s cost_micros', costBars === usage.totals.cost_micros);
  await page.selectOption('#usage-metric', 'requests');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Export CSV')]);
  const csvPath = path.join(SCREENS, 'usage.csv');
  await download.saveAs(csvPath);
  const csv = readFileSync(csvPath, 'utf8');
  check('usage: CSV export has the totals row with cost_micros', csv.split('\r\n')[1].includes(`,${usage.totals.cost_micros},`), csv.split('\r\n')[1]);
  await screens(page, 'local-usage');
  await axe(page, 'local usage');

  await visit(page, base, 'conversations', 'a[href^="#/conversations/"]');
  const listText = await page.textContent('main');
  check('conversations: the XSS title is shown as text', listText.includes('<img src=x onerror=alert(1)>'));
  await screens(page, 'local-conversations');
  await axe(page, 'local conversations');
  await page.click(`a[href="#/conversations/${conversation}"]`);
  await page.waitForSelector('.transcript');
  const transcript = await page.textContent('.transcript');
  check('conversation: the payload is visible as text', transcript.includes(XSS));
  check('conversation: no element was made from the payload', await page.evaluate(() => document.querySelectorAll('main img, main script').length === 0));
  await screens(page, 'local-conversation');
  await axe(page, 'local conversation');

  await visit(page, base, 'audit', '.notice');
  check('audit: the local daemon says the audit log belongs to a shared gateway',
    (await page.textContent('.notice')).includes('belongs to a shared gateway'));
  await screens(page, 'local-audit');
  await axe(page, 'local audit');
  await visit(page, base, 'keys', '.notice');
  check('keys: the local daemon says where its key is', (await page.textContent('.notice')).includes('state/local.key'));
  await screens(page, 'local-keys');

  // CSRF: the page's own cookie, without the token: 403 and the conversation is still there.
  const refused = await page.evaluate(async id => (await fetch('/v1/sessions/' + id, {method: 'DELETE'})).status, conversation);
  check('a change without the CSRF token is refused with 403', refused === 403, String(refused));
  const wrong = await page.evaluate(async id => (await fetch('/v1/sessions/' + id, {method: 'DELETE', headers: {'X-CSRF-Token': 'x'.repeat(43)}})).status, conversation);
  check('a change with a wrong CSRF token is refused with 403', wrong === 403, String(wrong));
  const still = await api(base, 'GET', '/v1/sessions/' + conversation, {key});
  check('and nothing changed: the conversation is still stored', still.status === 200);

  // Another site's request with the cookie: refused even for a read.
  const sessionHeader = await sessionCookie(context);
  const crossSite = await api(base, 'GET', '/v1/billing/usage', {cookie: sessionHeader, headers: {Origin: 'http://evil.example', 'Sec-Fetch-Site': 'cross-site'}});
  check('a cross-site request carrying the cookie is refused with 403', crossSite.status === 403, String(crossSite.status));
  const modelRoute = await api(base, 'POST', '/v1/execute', {cookie: sessionHeader, headers: {'Sec-Fetch-Site': 'same-origin'}, body: {prompt: 'x', preferred_providers: ['demo']}});
  check('the cookie does not reach the model routes (401)', modelRoute.status === 401, String(modelRoute.status));

  // Sign out: the session is gone; the old cookie is refused.
  await visit(page, base, 'usage', '[data-total="requests"]');
  await page.click('#sign-out');
  await page.waitForSelector('text=monkey dashboard');
  await screens(page, 'local-sign-in');
  await axe(page, 'local sign-in');
  const after = await api(base, 'GET', '/v1/billing/usage', {cookie: sessionHeader});
  check('after sign-out the old cookie gets 401', after.status === 401, String(after.status));

  // The link a second time: refused.
  const again = await browser.newContext();
  const againPage = await again.newPage();
  const response = await againPage.goto(link);
  check('the link used twice is refused', response.status() === 401 && (await againPage.textContent('h1')).includes('cannot be used'));
  check('and signs nobody in', (await again.cookies()).every(x => x.name !== 'monkey_session'));
  await again.close();

  check('no dialog fired on any local page (no XSS ran)', seen.dialogs === 0, String(seen.dialogs));
  check('no CSP violation on any local page', seen.cspViolations.length === 0, seen.cspViolations.join(' | '));
  check('no script error on any local page', seen.errors.length === 0, seen.errors.join(' | '));
  await context.close();
}

async function gatewayFlow(browser, base) {
  const email = `dash-${Date.now()}@example.com`;
  const password = 'correct horse battery staple';
  const registered = await api(base, 'POST', '/v1/auth/register', {body: {email, password}});
  check('gateway: register through the API', registered.status === 201, registered.text.slice(0, 200));
  const key = registered.json.api_key;
  await api(base, 'POST', '/v1/execute', {key, body: {prompt: 'gateway dashboard check', preferred_providers: ['demo']}});

  const context = await browser.newContext({viewport: {width: 1440, height: 900}});
  const page = await context.newPage();
  const seen = watch(page, 'gateway');
  await page.goto(base + '/dashboard/#/keys');
  await page.waitForSelector('#email');
  await screens(page, 'gateway-sign-in');
  await axe(page, 'gateway sign-in');
  await page.fill('#email', email);
  await page.fill('#password', 'wrong password!');
  await page.click('button[type=submit]');
  await page.waitForSelector('.error');
  check('gateway: a wrong password shows the envelope\'s message', (await page.textContent('.error')).includes('wrong email or password'));
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('#key-name');
  check('gateway: sign-in keeps the page asked for (keys)', page.url().endsWith('#/keys'));

  await page.fill('#key-name', XSS);
  await page.click('text=Create key');
  await page.waitForSelector('[data-testid=new-key]');
  const newKey = (await page.textContent('[data-testid=new-key]')).trim();
  check('gateway: the new key is shown once', newKey.startsWith('mk-live-'));
  check('gateway: the XSS key name is shown as text', (await page.textContent('main')).includes(XSS)
    && await page.evaluate(() => document.querySelectorAll('main img, main script').length === 0));
  const works = await api(base, 'GET', '/v1/models', {key: newKey});
  check('gateway: the new key works', works.status === 200, String(works.status));
  await screens(page, 'gateway-keys');
  await axe(page, 'gateway keys');

  const listed = (await api(base, 'GET', '/v1/auth/keys', {key})).json.keys.find(k => k.name === XSS);
  const revoke = page.locator(`button[aria-label="Revoke key ${XSS}"]`);
  await revoke.click();
  await revoke.click();
  await page.waitForSelector(`text=Key ${listed.prefix} revoked.`);
  const revoked = await api(base, 'GET', '/v1/models', {key: newKey});
  check('gateway: the revoked key gets 401 from the API', revoked.status === 401, String(revoked.status));

  await visit(page, base, 'audit', 'table');
  const auditText = await page.textContent('main');
  check('gateway: the audit log shows the sign-in, the key created and revoked',
    auditText.includes('key_created') && auditText.includes('key_revoked') && auditText.includes('via: dashboard'));
  check('gateway: audit details with the XSS name are text', auditText.includes(XSS));
  await screens(page, 'gateway-audit');
  await axe(page, 'gateway audit');

  await visit(page, base, 'usage', '[data-total="requests"]');
  const usage = (await api(base, 'GET', '/v1/billing/usage?days=30', {key})).json;
  const cost = await page.textContent('[data-total="cost_micros"]');
  check('gateway: usage cost matches the API to the micro-dollar', cost === dollars(usage.totals.cost_micros), `${cost} vs ${usage.totals.cost_micros}`);
  await screens(page, 'gateway-usage');
  await axe(page, 'gateway usage');

  const cookie = await sessionCookie(context);
  await page.click('#sign-out');
  await page.waitForSelector('#email');
  const after = await api(base, 'GET', '/v1/auth/keys', {cookie});
  check('gateway: after sign-out the old cookie gets 401', after.status === 401, String(after.status));
  check('gateway: no dialog fired (no XSS ran)', seen.dialogs === 0);
  check('gateway: no CSP violation', seen.cspViolations.length === 0, seen.cspViolations.join(' | '));
  check('gateway: no script error', seen.errors.length === 0, seen.errors.join(' | '));
  await context.close();
}

mkdirSync(SCREENS, {recursive: true});
const browser = await chromium.launch({executablePath: CHROMIUM, headless: true, args: ['--no-sandbox']});
try {
  await localFlow(browser);
  if (process.env.GATEWAY_URL) await gatewayFlow(browser, process.env.GATEWAY_URL.replace(/\/$/, ''));
} catch (e) {
  check('the browser flows ran to the end', false, e.stack || String(e));
} finally {
  await browser.close();
}
console.log('dashboard: axe-core violations per page (all impacts / serious or critical):');
for (const a of axeCounts) console.log(`dashboard:   ${a.page}: ${a.violations} / ${a.serious}${a.ids ? '  ' + a.ids : ''}`);
console.log(`dashboard: screenshots in ${SCREENS}`);
console.log(`dashboard: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
