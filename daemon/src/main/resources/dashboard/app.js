// The dashboard's shell: who is signed in, the navigation, and a small hash router (#/usage, #/conversations/ID).
// A page is a module with {id, title, gatewayOnly?, localHidden?, needs?, render(container, context)}; adding one is an import and
// an entry in PAGES.
import {api, get, post, setCsrf, whenSignedOut} from './api.js';
import {el, show, errorBox, loading} from './dom.js';
import usage from './pages/usage.js';
import keys from './pages/keys.js';
import audit from './pages/audit.js';
import conversations from './pages/conversations.js';
import credits from './pages/credits.js';
import security from './pages/security.js';
import admin from './pages/admin.js';
import signIn from './pages/sign-in.js';

const PAGES = [usage, keys, credits, security, audit, conversations, admin];

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const navList = document.getElementById('nav-list');
const who = document.getElementById('who');
const whoLabel = document.getElementById('who-label');
let session = null;
let rendering = 0;

function route() {
  const [id, ...rest] = (location.hash.replace(/^#\/?/, '') || 'usage').split('/');
  const page = PAGES.find(p => p.id === id) || PAGES[0];
  return {page, params: rest.map(decodeURIComponent)};
}

function visible(page) {
  if (page.localHidden && session && session.mode !== 'gateway') return false; // nothing there on the local daemon
  return !page.needs || (session && session.scopes && session.scopes.includes(page.needs));
}

function drawNav(current) {
  show(navList, PAGES.filter(visible).map(p => el('li', {},
    el('a', {href: '#/' + p.id, 'aria-current': p === current ? 'page' : null}, p.title))));
}

async function render() {
  const ticket = ++rendering;
  if (!session || !session.signed_in) {
    nav.hidden = true;
    who.hidden = true;
    document.title = 'Sign in – Monkey Coder';
    signIn.render(view, {session, signedIn: start});
    return;
  }
  const {page, params} = route();
  nav.hidden = false;
  who.hidden = false;
  whoLabel.textContent = session.label || session.account_id;
  drawNav(page);
  document.title = page.title + ' – Monkey Coder';
  const container = el('section', {class: 'page', 'aria-labelledby': 'page-title'});
  show(view, container);
  if (page.gatewayOnly && session.mode !== 'gateway') {
    show(container, el('h1', {id: 'page-title'}, page.title),
      el('p', {class: 'notice', role: 'note'}, page.gatewayOnly));
    return;
  }
  show(container, el('h1', {id: 'page-title'}, page.title), loading());
  try {
    await page.render(container, {session, params, stale: () => ticket !== rendering});
  } catch (e) {
    if (ticket === rendering && e.status !== 401) {
      container.append(errorBox(e));
    }
  }
}

/** Reads the session (the CSRF token with it) and draws the page the address names. */
async function start() {
  try {
    session = await get('/dashboard/api/session');
  } catch (e) {
    show(view, errorBox(e));
    return;
  }
  setCsrf(session.signed_in ? session.csrf_token : null);
  await render();
  view.focus({preventScroll: true});
}

whenSignedOut(() => {
  // An ended session: back to the sign-in, with the address (and so the page) kept for after it.
  session = session ? {mode: session.mode, signed_in: false, expired: true} : null;
  setCsrf(null);
  render();
});

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await post('/dashboard/api/logout');
  } catch (e) {
    // signed out already, or the gateway is gone: either way show the sign-in
  }
  session = {mode: session ? session.mode : 'local', signed_in: false, signedOut: true};
  setCsrf(null);
  render();
});

window.addEventListener('hashchange', () => {
  render();
  view.focus({preventScroll: true});
});

start();
