// Drives the gateway's web dashboard in headless Chromium (Debian's chromium, through playwright-core), as a user
// would: the local daemon through `monkey dashboard --print`'s one-time link, and, when GATEWAY_URL names a shared
// gateway, its email and password sign-in with two-factor authentication, keys, credits bought through a fake
// Stripe, sessions, the audit log and the admin page. Checks the numbers against the API, the security headers, CSRF and
// cross-site refusals, XSS payloads shown as text, and runs axe-core on every page; screenshots each page at 375
// and 1440 px wide.
//
// Environment: MONKEY (the monkey launcher), MONKEY_CODER_HOME and MONKEY_CODER_PORT (its local daemon),
// DASHBOARD_SCREENS (where screenshots go), CHROMIUM (default /usr/bin/chromium), GATEWAY_URL (optional: a shared
// gateway in gateway mode, for the second flow) with FAKE_STRIPE_URL and FAKE_STRIPE_KEY (fake-stripe.mjs, the
// gateway's STRIPE_API_BASE and STRIPE_SECRET_KEY), STRIPE_WEBHOOK_SECRET and DASHBOARD_ADMIN_EMAIL (on the
// gateway's MONKEY_CODER_ADMIN_EMAILS).
import {chromium} from 'playwright-core';
import {execFileSync} from 'node:child_process';
import {createHmac} from 'node:crypto';
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
  const url = base + '/dashboard/#/' + hash;
  // the same address again changes no hash, so nothing would redraw: load the page afresh instead
  if (page.url() === url) await page.reload();
  else await page.goto(url);
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

/** RFC 6238's code (HMAC-SHA1, 6 digits, 30-second steps) of a base32 secret at a step, as authenticator apps make it. */
function totp(base32, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map(b => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hash = createHmac('sha1', key).update(counter).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  return String((hash.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

const step = () => Math.floor(Date.now() / 1000 / 30);

/** A webhook delivery signed exactly as Stripe signs: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>. */
function stripeSignature(body, secret, t = Math.floor(Date.now() / 1000)) {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

async function signIn(page, base, email, password, hash) {
  await page.goto(base + '/dashboard/#/' + hash);
  await page.waitForSelector('#email');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
}

async function gatewayFlow(browser, base) {
  const stamp = Date.now();
  const email = `dash-${stamp}@example.com`;
  const password = 'correct horse battery staple';
  const registered = await api(base, 'POST', '/v1/auth/register', {body: {email, password}});
  check('gateway: register through the API', registered.status === 201, registered.text.slice(0, 200));
  const key = registered.json.api_key;
  await api(base, 'POST', '/v1/execute', {key, body: {prompt: 'gateway dashboard check', preferred_providers: ['demo']}});

  const context = await browser.newContext({viewport: {width: 1440, height: 900}});
  const page = await context.newPage();
  const seen = watch(page, 'gateway');
  await page.goto(base + '/dashboard/#/security');
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
  await page.waitForSelector('[data-testid=mfa-status]');
  check('gateway: sign-in keeps the page asked for (security)', page.url().endsWith('#/security'));

  // Another browser's dashboard session and a CLI session (JWT), both listed on the Security page and revoked there.
  const other = await api(base, 'POST', '/dashboard/api/login', {body: {email, password}});
  const otherCookie = (other.headers.get('set-cookie') || '').split(';')[0];
  check('gateway: a second browser signs in', other.status === 200 && otherCookie.startsWith('monkey_session='), String(other.status));
  const jwt = await api(base, 'POST', '/v1/auth/session', {body: {email, password}, headers: {'User-Agent': 'dashboard-check'}});
  check('gateway: a CLI session (JWT) opens', jwt.status === 201, jwt.text.slice(0, 200));
  await visit(page, base, 'security', 'button[aria-label^="Revoke session "]');
  const browserRows = await page.$$('button[aria-label^="Revoke dashboard session "]');
  check('security: both dashboard sessions are listed', browserRows.length === 2, String(browserRows.length));
  const otherRow = page.locator('tr', {hasNot: page.locator('text=yes')}).locator('button[aria-label^="Revoke dashboard session "]');
  await otherRow.click();
  await otherRow.click();
  await page.waitForSelector('text=/Dashboard session web_[0-9a-f]+ revoked/');
  check('security: the other browser\'s revoked cookie gets 401', (await api(base, 'GET', '/v1/auth/keys', {cookie: otherCookie})).status === 401);
  const jwtRevoke = page.locator(`button[aria-label="Revoke session ${jwt.json.session_id}"]`);
  await jwtRevoke.click();
  await jwtRevoke.click();
  await page.waitForSelector(`text=Session ${jwt.json.session_id} revoked.`);
  check('security: the revoked CLI session\'s access token gets 401',
    (await api(base, 'GET', '/v1/auth/keys', {key: jwt.json.access_token})).status === 401);
  check('security: this browser is still signed in', (await api(base, 'GET', '/v1/auth/keys', {cookie: await sessionCookie(context)})).status === 200);
  await screens(page, 'gateway-security');
  await axe(page, 'gateway security');

  // MFA through the page: the password, the QR code the gateway drew, the key shown, a code, ten recovery codes.
  await page.fill('#mfa-password', password);
  await page.click('button:text-is("Set up")');
  await page.waitForSelector('[data-testid=mfa-secret]');
  const secret = (await page.textContent('[data-testid=mfa-secret]')).trim();
  check('security: the key is shown in base32', /^[A-Z2-7]{32}$/.test(secret), secret.length + ' characters');
  const qr = await page.$eval('[data-testid=mfa-qr]', img => ({src: img.getAttribute('src'), width: img.naturalWidth, complete: img.complete}));
  const qrSvg = Buffer.from(qr.src.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString('utf8');
  check('security: the QR code is an SVG image from the gateway, drawn', qr.src.startsWith('data:image/svg+xml;base64,')
    && qrSvg.startsWith('<svg') && qr.complete && qr.width > 0, qr.src.slice(0, 40));
  check('security: no address outside the gateway is in the page', !(await page.content()).match(/https?:\/\/(?!127\.0\.0\.1|www\.w3\.org)/));
  await screens(page, 'gateway-security-enrol');
  await axe(page, 'gateway security (enrol)');
  const enrolStep = step();
  await page.fill('#mfa-code', totp(secret, enrolStep));
  await page.click('button:text-is("Turn on")');
  await page.waitForSelector('[data-testid=recovery-codes]');
  const recovery = await page.$$eval('[data-testid=recovery-codes] li', items => items.map(i => i.textContent.trim()));
  check('security: ten recovery codes are shown once', recovery.length === 10, String(recovery.length));
  await screens(page, 'gateway-security-codes');
  await page.click('button:text-is("I have saved them")');
  await page.waitForSelector('text=recovery codes left');
  const mfa = await api(base, 'GET', '/v1/auth/mfa', {key});
  check('security: the API says MFA is on', mfa.json && mfa.json.enabled === true && mfa.json.recovery_codes_left === 10, mfa.text);

  // Sign out, then in again: the form asks for the code, a wrong one shows the envelope's message.
  await page.click('#sign-out');
  await page.waitForSelector('#email');
  await signIn(page, base, email, password, 'keys');
  await page.waitForSelector('#totp-code');
  check('gateway: sign-in asks for the authentication code', await page.isVisible('#totp-code'));
  await page.fill('#totp-code', totp(secret, enrolStep) === '000000' ? '111111' : '000000');
  await page.click('button[type=submit]');
  await page.waitForSelector('.error');
  check('gateway: a wrong code shows the envelope\'s message', (await page.textContent('.error')).includes('wrong, expired or already used'));
  await screens(page, 'gateway-sign-in-mfa');
  await axe(page, 'gateway sign-in (code)');
  // the confirm took the enrolment's step: the next one (accepted one step ahead) signs in
  await page.fill('#totp-code', totp(secret, Math.max(enrolStep + 1, step())));
  await page.click('button[type=submit]');
  await page.waitForSelector('#key-name');
  check('gateway: password and code sign in, on the page asked for (keys)', page.url().endsWith('#/keys'));

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

  // A test key limited to an address block this browser is not in: made through the form, refused from here.
  await page.fill('#key-name', 'ci-from-the-office');
  await page.fill('#key-cidrs', '203.0.113.0/24');
  await page.check('#key-test');
  await page.click('text=Create key');
  await page.waitForSelector('[data-testid=new-key]:has-text("mk-test-")');
  const testKey = (await page.textContent('[data-testid=new-key]')).trim();
  const made = (await api(base, 'GET', '/v1/auth/keys', {key})).json.keys.find(k => k.name === 'ci-from-the-office');
  check('gateway: the form makes a test key with an address allowlist',
    testKey.startsWith('mk-test-') && made && made.test === true && made.allowed_cidrs.join() === '203.0.113.0/24',
    JSON.stringify(made));
  check('gateway: the allowlist is listed on the page', (await page.textContent('main')).includes('203.0.113.0/24'));
  const outside = await api(base, 'GET', '/usage', {key: testKey}); // a native route: its envelope carries the reason
  check('gateway: the allowlisted key is refused from another address (403 ip_not_allowed)',
    outside.status === 403 && JSON.stringify(outside.json).includes('ip_not_allowed'), String(outside.status));

  // Credits: buy $10 through Checkout (the fake's page), Stripe's signed webhook, the balance moves by $10.
  await visit(page, base, 'credits', '[data-testid=balance][data-micros]');
  const before = BigInt(await page.getAttribute('[data-testid=balance]', 'data-micros'));
  const usageBefore = (await api(base, 'GET', '/usage', {key})).json;
  check('credits: the balance shown is the API\'s', before === BigInt(usageBefore.credit_micros), `${before} vs ${usageBefore.credit_micros}`);
  check('credits: the plans are listed, pro can be bought', await page.isVisible('button[aria-label="Change to pro plan"]'));
  await screens(page, 'gateway-credits');
  await axe(page, 'gateway credits');
  await page.fill('#credits-amount', '10');
  await Promise.all([page.waitForURL(/\/c\/pay\/cs_test_/), page.click('button:text-is("Buy credits")')]);
  const sessionId = /\/c\/pay\/(cs_test_[0-9a-f]+)/.exec(page.url())[1];
  check('credits: Buy credits goes to the Checkout page Stripe answered', page.url().startsWith(process.env.FAKE_STRIPE_URL));
  const stripeAuth = {Authorization: 'Bearer ' + process.env.FAKE_STRIPE_KEY};
  const created = await (await fetch(`${process.env.FAKE_STRIPE_URL}/v1/checkout/sessions/${sessionId}`, {headers: stripeAuth})).json();
  check('credits: the checkout session is a $10 payment for this account', created.mode === 'payment' && created.amount_total === 1000
    && created.metadata.credits_micros === '10000000' && created.client_reference_id === registered.json.user_id, JSON.stringify(created.metadata));
  const completed = {...created, status: 'complete', payment_status: 'paid', customer: 'cus_dash' + stamp,
    payment_intent: 'pi_dash' + stamp, customer_details: {email}};
  const event = JSON.stringify({id: 'evt_dash' + stamp, object: 'event', api_version: '2025-12-15.clover',
    created: Math.floor(Date.now() / 1000), data: {object: completed}, livemode: false, pending_webhooks: 1,
    request: {id: null, idempotency_key: null}, type: 'checkout.session.completed'});
  const badHook = await fetch(base + '/v1/billing/webhook', {method: 'POST', body: event,
    headers: {'Content-Type': 'application/json', 'Stripe-Signature': stripeSignature(event, 'whsec_not_the_secret')}});
  check('credits: a webhook signed with another secret is refused (400)', badHook.status === 400, String(badHook.status));
  const hook = await fetch(base + '/v1/billing/webhook', {method: 'POST', body: event,
    headers: {'Content-Type': 'application/json', 'Stripe-Signature': stripeSignature(event, process.env.STRIPE_WEBHOOK_SECRET)}});
  check('credits: the signed checkout.session.completed webhook is taken', hook.status === 200, `${hook.status} ${await hook.text()}`);
  await visit(page, base, 'credits', '[data-testid=balance][data-micros]');
  const after = BigInt(await page.getAttribute('[data-testid=balance]', 'data-micros'));
  check('credits: the balance shown moved by $10', after - before === 10000000n, `${dollars(before)} → ${dollars(after)}`);
  check('credits: the balance reads in dollars', (await page.textContent('[data-testid=balance]')) === dollars(after));
  check('credits: the payment is in the history', (await page.textContent('main')).includes('stripe:checkout:' + sessionId));
  await screens(page, 'gateway-credits-paid');
  await Promise.all([page.waitForURL(/\/c\/pay\/cs_test_/), page.click('button[aria-label="Change to pro plan"]')]);
  const planSession = await (await fetch(`${process.env.FAKE_STRIPE_URL}/v1/checkout/sessions/${/cs_test_[0-9a-f]+/.exec(page.url())[0]}`, {headers: stripeAuth})).json();
  check('credits: Change to pro opens a subscription checkout for pro', planSession.mode === 'subscription' && planSession.metadata.plan === 'pro',
    JSON.stringify(planSession.metadata));

  await visit(page, base, 'audit', 'table');
  const auditText = await page.textContent('main');
  for (const action of ['login', 'mfa_enabled', 'session_revoked', 'key_created', 'key_revoked', 'checkout_created', 'credits_added']) {
    check(`gateway: the audit log shows ${action}`, auditText.includes(action));
  }
  check('gateway: audit details with the XSS name are text', auditText.includes(XSS));
  await screens(page, 'gateway-audit');
  await axe(page, 'gateway audit');

  await visit(page, base, 'usage', '[data-total="requests"]');
  const usage = (await api(base, 'GET', '/v1/billing/usage?days=30', {key})).json;
  const cost = await page.textContent('[data-total="cost_micros"]');
  check('gateway: usage cost matches the API to the micro-dollar', cost === dollars(usage.totals.cost_micros), `${cost} vs ${usage.totals.cost_micros}`);
  await screens(page, 'gateway-usage');
  await axe(page, 'gateway usage');

  // Not an admin: no Admin page in the menu, and the API refuses the key and the cookie alike (403).
  check('admin: a user has no Admin page in the menu', !(await page.isVisible('nav a[href="#/admin"]')));
  const userCookie = await sessionCookie(context);
  check('admin: a user\'s key gets 403 from /v1/admin/accounts', (await api(base, 'GET', '/v1/admin/accounts', {key})).status === 403);
  check('admin: a user\'s dashboard cookie gets 403 from /v1/admin/accounts',
    (await api(base, 'GET', '/v1/admin/accounts', {cookie: userCookie, headers: {'Sec-Fetch-Site': 'same-origin'}})).status === 403);
  await visit(page, base, 'admin', '.error');
  check('admin: a user typing #/admin sees the API\'s refusal', (await page.textContent('.error')).includes('admin'));

  await page.click('#sign-out');
  await page.waitForSelector('#email');
  const gone = await api(base, 'GET', '/v1/auth/keys', {cookie: userCookie});
  check('gateway: after sign-out the old cookie gets 401', gone.status === 401, String(gone.status));
  check('gateway: no dialog fired (no XSS ran)', seen.dialogs === 0);
  check('gateway: no CSP violation', seen.cspViolations.length === 0, seen.cspViolations.join(' | '));
  check('gateway: no script error', seen.errors.length === 0, seen.errors.join(' | '));
  await context.close();
  await adminFlow(browser, base, email);
}

async function adminFlow(browser, base, userEmail) {
  const adminEmail = process.env.DASHBOARD_ADMIN_EMAIL;
  if (!adminEmail) return;
  const password = 'admin horse battery staple';
  const admin = await api(base, 'POST', '/v1/auth/register', {body: {email: adminEmail, password}});
  check('admin: an account on MONKEY_CODER_ADMIN_EMAILS registers', admin.status === 201, admin.text.slice(0, 200));
  // An account whose email holds markup: the admin's list shows it as text.
  const xssEmail = `xss${Date.now()}<img/src=x/onerror=alert(3)>@example.com`;
  const xss = await api(base, 'POST', '/v1/auth/register', {body: {email: xssEmail, password}});
  const context = await browser.newContext({viewport: {width: 1440, height: 900}});
  const page = await context.newPage();
  const seen = watch(page, 'admin');
  await signIn(page, base, adminEmail, password, 'usage');
  await page.waitForSelector('nav a[href="#/admin"]');
  check('admin: an admin has the Admin page in the menu', true);
  await visit(page, base, 'admin', '#admin-email');
  await page.waitForSelector('table');
  if (xss.status === 201) {
    await page.fill('#admin-email', 'xss');
    await page.click('button:text-is("Find")');
    await page.waitForSelector(`button[aria-label="Manage ${xss.json.email}"]`);
    check('admin: an email with markup is listed as text', (await page.textContent('main')).includes('<img/src=x/onerror=alert(3)>')
      && await page.evaluate(() => document.querySelectorAll('main img, main script').length === 0));
  }
  await page.fill('#admin-email', userEmail);
  await page.click('button:text-is("Find")');
  const manage = page.locator(`button[aria-label="Manage ${userEmail}"]`);
  await manage.waitFor();
  const beforeRow = (await api(base, 'GET', '/v1/admin/accounts?email=' + encodeURIComponent(userEmail), {key: admin.json.api_key})).json.accounts[0];
  await manage.click();
  await page.waitForSelector('#admin-amount');
  await page.fill('#admin-amount', '2.50');
  await page.fill('#admin-reason', 'goodwill ' + XSS);
  await page.click('button:text-is("Apply")');
  await page.waitForSelector(`text=Credits of ${userEmail} changed by $2.50.`);
  const afterRow = (await api(base, 'GET', '/v1/admin/accounts?email=' + encodeURIComponent(userEmail), {key: admin.json.api_key})).json.accounts[0];
  check('admin: adding $2.50 with a reason moves the balance by $2.50', afterRow.credit_micros - beforeRow.credit_micros === 2500000,
    `${beforeRow.credit_micros} → ${afterRow.credit_micros}`);
  check('admin: the reason with markup is shown as text in the history', (await page.textContent('.panel')).includes('goodwill ' + XSS)
    && await page.evaluate(() => document.querySelectorAll('main img, main script').length === 0));
  const audit = (await api(base, 'GET', '/v1/audit?action=credits_added&limit=5', {key: admin.json.api_key})).json;
  check('admin: the audit log has the change with its reason', JSON.stringify(audit).includes('goodwill'));
  await page.selectOption('#admin-tier', 'pro');
  await page.click('button:text-is("Set tier")');
  await page.waitForSelector(`text=Tier of ${userEmail} set to pro.`);
  check('admin: the tier is set through the page', (await api(base, 'GET', '/v1/admin/accounts?email=' + encodeURIComponent(userEmail),
    {key: admin.json.api_key})).json.accounts[0].tier === 'pro');
  await page.waitForSelector('[data-testid=admin-usage-totals]');
  check('admin: usage across accounts is shown', (await page.textContent('main')).includes(userEmail));
  await screens(page, 'gateway-admin');
  await axe(page, 'gateway admin');
  await page.click('#sign-out');
  await page.waitForSelector('#email');
  check('admin: no dialog fired (no XSS ran)', seen.dialogs === 0);
  check('admin: no CSP violation', seen.cspViolations.length === 0, seen.cspViolations.join(' | '));
  check('admin: no script error', seen.errors.length === 0, seen.errors.join(' | '));
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
