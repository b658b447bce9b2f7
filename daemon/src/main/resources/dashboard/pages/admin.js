// Admin (shared gateway, admins only): accounts with an email filter (GET /v1/admin/accounts), one account's
// credits, tier, plan and status with reasons (POST/PUT /v1/admin/accounts/{id}/...), and usage across accounts
// (GET /v1/admin/usage). The page is listed for sessions with the admin scope; the API itself refuses everyone
// else (403), whatever a browser shows.
import {api, get, post} from '../api.js';
import {el, show, table, empty, errorBox, time, dollars, count} from '../dom.js';

const TIERS = ['free', 'pro', 'enterprise', 'unlimited'];

function field(id, label, input) {
  return el('div', {class: 'field'}, el('label', {for: id}, label), input);
}

/** A form whose submit runs {@code action}; its errors show beside it as the envelope's message. */
function actionForm(titleId, title, fields, buttonLabel, action, buttonClass) {
  const button = el('button', {type: 'submit', class: buttonClass || null}, buttonLabel);
  const said = el('div', {'aria-live': 'assertive'});
  const form = el('form', {class: 'stack', 'aria-labelledby': titleId},
    el('h4', {id: titleId}, title), ...fields, button, said);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    button.disabled = true;
    said.replaceChildren();
    try {
      await action(said);
    } catch (e) {
      said.append(errorBox(e));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

async function accountPanel(panel, id, onChanged) {
  show(panel, el('p', {class: 'loading', role: 'status'}, 'Loading the account…'));
  const a = await get('/v1/admin/accounts/' + encodeURIComponent(id));
  const path = '/v1/admin/accounts/' + encodeURIComponent(a.id);
  const changed = async message => {
    await onChanged();
    await accountPanel(panel, id, onChanged);
    panel.querySelector('.panel-status').append(el('p', {class: 'notice', role: 'status'}, message));
  };
  const amount = el('input', {id: 'admin-amount', type: 'text', inputmode: 'decimal', required: true, placeholder: '5.00 or -2.50'});
  const reason = el('input', {id: 'admin-reason', type: 'text', maxlength: '500', required: true});
  const credits = actionForm('admin-credits-title', 'Add or remove credits', [
    field('admin-amount', 'Amount in dollars (negative removes)', amount),
    field('admin-reason', 'Reason (kept in the audit log)', reason)], 'Apply', async () => {
    await post(path + '/credits', {amount_usd: amount.value.trim(), reason: reason.value});
    await changed(`Credits of ${a.email} changed by $${amount.value.trim()}.`);
  });
  const tier = el('select', {id: 'admin-tier'}, TIERS.map(t => el('option', {value: t, selected: t === a.tier}, t)));
  const tierForm = actionForm('admin-tier-title', 'Tier', [field('admin-tier', 'Tier (its limits)', tier)], 'Set tier', async () => {
    await api('PUT', path + '/tier', {tier: tier.value});
    await changed(`Tier of ${a.email} set to ${tier.value}.`);
  }, 'secondary');
  const plan = el('input', {id: 'admin-plan', type: 'text', value: a.plan ?? '', maxlength: '100'});
  const planForm = actionForm('admin-plan-title', 'Plan', [field('admin-plan', 'Plan name (from GET /v1/billing/plans)', plan)], 'Set plan', async () => {
    await api('PUT', path + '/plan', {plan: plan.value.trim()});
    await changed(`Plan of ${a.email} set to ${plan.value.trim()}.`);
  }, 'secondary');
  const why = el('input', {id: 'admin-status-reason', type: 'text', maxlength: '500'});
  const statusForm = actionForm('admin-status-title', a.disabled ? 'Enable the account' : 'Disable the account',
    [field('admin-status-reason', 'Reason (kept in the audit log)', why)], a.disabled ? 'Enable' : 'Disable', async () => {
      await post(path + (a.disabled ? '/enable' : '/disable'), {reason: why.value || null});
      await changed(`${a.email} ${a.disabled ? 'enabled' : 'disabled'}.`);
    }, a.disabled ? null : 'danger');
  const history = (a.credit_history || []).length === 0 ? empty('No credit changes.')
    : table(`Credit history of ${a.email}`, ['Time', 'Amount', 'Kind', 'Reason', 'By'],
      a.credit_history.map(c => [time(c.time), dollars(c.amount_micros), c.kind, c.reason ?? '—', c.actor ?? '—']), [1]);
  show(panel,
    el('h3', {id: 'admin-account-title', tabindex: '-1'}, a.email),
    el('p', {'data-testid': 'admin-account-summary'}, `Balance ${dollars(a.credit_micros)} · tier ${a.tier} · plan ${a.plan ?? '—'} · `
      + `${a.role} · ${a.disabled ? 'disabled' : 'active'} · ${(a.keys || []).length} keys`),
    el('div', {class: 'panel-status', 'aria-live': 'polite'}),
    el('div', {class: 'columns'}, credits, tierForm, planForm, statusForm),
    history);
}

export default {
  id: 'admin',
  title: 'Admin',
  needs: 'admin',
  localHidden: true,
  gatewayOnly: 'Administration belongs to a shared gateway. The local daemon has one user and no accounts.',
  async render(container, {stale}) {
    const heading = container.querySelector('h1');
    const filter = el('input', {id: 'admin-email', type: 'search', autocomplete: 'off'});
    const results = el('div');
    const more = el('button', {type: 'button', class: 'secondary', hidden: true}, 'More accounts');
    const panel = el('section', {class: 'panel', 'aria-label': 'The chosen account'});
    const usageBox = el('div', {}, el('p', {class: 'loading', role: 'status'}, 'Loading usage…'));
    const rows = [];
    let next = null;

    const draw = () => {
      if (rows.length === 0) {
        show(results, empty('No accounts match.'));
        return;
      }
      show(results, table('Accounts', ['Email', 'Role', 'Tier', 'Plan', 'Balance', 'Status', 'Created', 'Action'],
        rows.map(a => {
          const manage = el('button', {type: 'button', class: 'secondary', 'aria-label': `Manage ${a.email}`}, 'Manage');
          manage.addEventListener('click', async () => {
            try {
              await accountPanel(panel, a.id, () => load(true));
              panel.querySelector('#admin-account-title').focus();
            } catch (e) {
              show(panel, errorBox(e));
            }
          });
          return [a.email, a.role, a.tier, a.plan ?? '—', dollars(a.credit_micros), a.disabled ? 'disabled' : 'active', time(a.created_at), manage];
        }), [4]));
    };
    const load = async reset => {
      if (reset) {
        rows.length = 0;
        next = null;
      }
      const q = new URLSearchParams({limit: '50'});
      if (filter.value.trim()) q.set('email', filter.value.trim());
      if (next) q.set('after', next);
      const page = await get('/v1/admin/accounts?' + q);
      if (stale()) return;
      rows.push(...(page.accounts || []));
      next = page.next || null;
      more.hidden = !next;
      draw();
    };
    const form = el('form', {class: 'controls', role: 'search', 'aria-label': 'Find accounts'},
      field('admin-email', 'Email contains', filter), el('button', {type: 'submit'}, 'Find'));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      try {
        await load(true);
      } catch (e) {
        show(results, errorBox(e));
      }
    });
    more.addEventListener('click', () => load(false).catch(e => results.append(errorBox(e))));
    show(container, heading, el('h2', {}, 'Accounts'), form, results, more, panel, el('h2', {}, 'Usage across accounts (30 days)'), usageBox);
    await load(true);
    const usage = await get('/v1/admin/usage?days=30');
    if (stale()) return;
    show(usageBox, (usage.accounts || []).length === 0 ? empty('No requests in the last 30 days.')
      : [el('p', {'data-testid': 'admin-usage-totals'}, `${count(usage.totals.requests)} requests, ${count(usage.totals.total_tokens)} tokens, ${dollars(usage.totals.cost_micros)}`),
        table('Usage by account, costliest first', ['Email', 'Requests', 'Errors', 'Tokens', 'Cost'],
          usage.accounts.map(u => [u.email ?? u.account_id, count(u.requests), count(u.errors), count(u.total_tokens), dollars(u.cost_micros)]), [1, 2, 3, 4])]);
  },
};
