// Audit log (shared gateway): GET /v1/audit, newest first, filtered by action and time, paged with its `next` cursor.
import {get} from '../api.js';
import {el, show, table, empty, errorBox, time} from '../dom.js';

const ACTIONS = ['register', 'login', 'login_failed', 'key_created', 'key_revoked', 'credits_added', 'credits_removed',
  'plan_changed', 'tier_changed', 'checkout_created', 'session_created', 'session_failed', 'session_revoked',
  'mfa_enabled', 'mfa_disabled', 'mfa_recovery_used', 'email_verified', 'password_reset_requested', 'password_reset',
  'account_disabled', 'account_enabled', 'admin_created', 'stripe_customer_linked', 'payment_not_credited', 'webhook_rejected'];

function iso(localValue) {
  if (!localValue) return null;
  const d = new Date(localValue);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function details(d) {
  const entries = Object.entries(d || {});
  return entries.length === 0 ? '' : entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ');
}

export default {
  id: 'audit',
  title: 'Audit log',
  gatewayOnly: 'The audit log belongs to a shared gateway, where accounts sign in and keys are made and revoked. The local daemon has one user and no accounts to audit.',
  async render(container, {stale}) {
    const heading = container.querySelector('h1');
    const action = el('select', {id: 'audit-action'}, el('option', {value: ''}, 'Any action'),
      ACTIONS.map(a => el('option', {value: a}, a)));
    const since = el('input', {id: 'audit-since', type: 'datetime-local'});
    const until = el('input', {id: 'audit-until', type: 'datetime-local'});
    const apply = el('button', {type: 'submit'}, 'Filter');
    const rows = [];
    const results = el('div');
    const more = el('button', {type: 'button', class: 'secondary', hidden: true}, 'Older events');
    let next = null;

    const query = () => {
      const q = new URLSearchParams({limit: '50'});
      if (action.value) q.set('action', action.value);
      if (iso(since.value)) q.set('since', iso(since.value));
      if (iso(until.value)) q.set('until', iso(until.value));
      if (next) q.set('before', next);
      return '/v1/audit?' + q;
    };
    const draw = () => {
      if (rows.length === 0) {
        show(results, empty('No events match.'));
        return;
      }
      show(results, table('Audit events, newest first', ['Time', 'Action', 'Actor', 'Target', 'Address', 'Details'],
        rows.map(e => [time(e.time), e.action, e.actor ?? '—', e.target ?? '—', e.client_address ?? '—', details(e.details)]), []));
    };
    const load = async reset => {
      if (reset) {
        rows.length = 0;
        next = null;
        show(results, el('p', {class: 'loading', role: 'status'}, 'Loading events…'));
      }
      more.disabled = true;
      try {
        const page = await get(query());
        if (stale()) return;
        rows.push(...(page.events || []));
        next = page.next || null;
        more.hidden = !next;
        draw();
      } catch (e) {
        if (e.status !== 401) results.append(errorBox(e));
      } finally {
        more.disabled = false;
      }
    };
    const form = el('form', {class: 'controls', 'aria-label': 'Filter the audit log'},
      el('div', {class: 'field'}, el('label', {for: 'audit-action'}, 'Action'), action),
      el('div', {class: 'field'}, el('label', {for: 'audit-since'}, 'From'), since),
      el('div', {class: 'field'}, el('label', {for: 'audit-until'}, 'Until'), until),
      apply);
    form.addEventListener('submit', event => { event.preventDefault(); load(true); });
    more.addEventListener('click', () => load(false));
    show(container, heading, form, results, more);
    await load(true);
  },
};
