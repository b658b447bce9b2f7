// Keys (shared gateway): GET /v1/auth/keys, POST /v1/auth/keys (the key shown once, with a copy button),
// DELETE /v1/auth/keys/{id}. Revoking asks for a second click instead of a browser dialog.
import {get, post, del} from '../api.js';
import {el, show, table, empty, errorBox, time, count} from '../dom.js';

const SCOPES = [['chat', 'Chat (model routes)'], ['keys', 'Keys (create and revoke)'], ['billing', 'Billing (usage and credits)']];

function createForm(onCreated, status) {
  const name = el('input', {id: 'key-name', name: 'name', type: 'text', maxlength: '100', required: true, autocomplete: 'off'});
  const days = el('input', {id: 'key-days', name: 'expires_in_days', type: 'number', min: '1', max: '3650', inputmode: 'numeric'});
  const perHour = el('input', {id: 'key-per-hour', name: 'requests_per_hour', type: 'number', min: '1', inputmode: 'numeric'});
  const perMonth = el('input', {id: 'key-per-month', name: 'requests_per_month', type: 'number', min: '1', inputmode: 'numeric'});
  const cidrs = el('input', {id: 'key-cidrs', name: 'allowed_cidrs', type: 'text', autocomplete: 'off',
    placeholder: '203.0.113.0/24, 2001:db8::/32'});
  const test = el('input', {type: 'checkbox', id: 'key-test', name: 'test'});
  const boxes = SCOPES.map(([v, label]) => {
    const box = el('input', {type: 'checkbox', id: 'scope-' + v, value: v, checked: v === 'chat'});
    return {v, box, row: el('div', {class: 'check'}, box, el('label', {for: 'scope-' + v}, label))};
  });
  const submit = el('button', {type: 'submit'}, 'Create key');
  const form = el('form', {class: 'stack', 'aria-labelledby': 'create-key-title'},
    el('h2', {id: 'create-key-title'}, 'Create a key'),
    el('label', {for: 'key-name'}, 'Name'), name,
    el('fieldset', {}, el('legend', {}, 'Scopes'), boxes.map(b => b.row)),
    el('label', {for: 'key-days'}, 'Expires after (days, optional)'), days,
    el('label', {for: 'key-per-hour'}, 'Requests per hour (optional, at most your tier’s)'), perHour,
    el('label', {for: 'key-per-month'}, 'Requests per month (optional, at most your tier’s)'), perMonth,
    el('label', {for: 'key-cidrs'}, 'Allowed addresses (optional: address blocks, comma-separated; the key works only from them)'), cidrs,
    el('div', {class: 'check'}, test, el('label', {for: 'key-test'}, 'Test key (mk-test-: the demo provider only, costs nothing; chat scope only)')),
    submit);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    submit.disabled = true;
    status.replaceChildren();
    const body = {name: name.value, scopes: boxes.filter(b => b.box.checked).map(b => b.v)};
    if (days.value) body.expires_in_days = Number(days.value);
    if (perHour.value) body.requests_per_hour = Number(perHour.value);
    if (perMonth.value) body.requests_per_month = Number(perMonth.value);
    const blocks = cidrs.value.split(',').map(c => c.trim()).filter(c => c !== '');
    if (blocks.length > 0) body.allowed_cidrs = blocks;
    if (test.checked) body.test = true;
    try {
      const created = await post('/v1/auth/keys', body);
      form.reset();
      await onCreated(created);
    } catch (e) {
      status.append(errorBox(e));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function shownOnce(created) {
  const value = el('code', {class: 'secret', 'data-testid': 'new-key'}, created.api_key);
  const copy = el('button', {type: 'button', class: 'secondary'}, 'Copy');
  const said = el('span', {role: 'status', class: 'hint'});
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(created.api_key);
      said.textContent = 'Copied.';
    } catch (e) {
      said.textContent = 'Copying is not allowed here; select the key and copy it.';
    }
  });
  return el('div', {class: 'notice once', role: 'status'},
    el('p', {}, 'Your new key ', el('strong', {}, created.name || created.key_id), ' — copy it now, it is not shown again:'),
    el('p', {class: 'secret-row'}, value, copy, said));
}

export default {
  id: 'keys',
  title: 'Keys',
  gatewayOnly: 'Keys belong to a shared gateway. The local daemon has one key, kept in state/local.key, which the CLI uses.',
  async render(container, {stale}) {
    const heading = container.querySelector('h1');
    const once = el('div');
    const status = el('div', {'aria-live': 'assertive'});
    const list = el('div', {}, el('p', {class: 'loading', role: 'status'}, 'Loading keys…'));
    const reload = async () => {
      const answer = await get('/v1/auth/keys');
      if (stale()) return;
      const keys = answer.keys || [];
      if (keys.length === 0) {
        show(list, empty('No keys yet.'));
        return;
      }
      show(list, table('Your keys', ['Name', 'Prefix', 'Scopes', 'Status', 'Created', 'Last used', 'Expires', 'Per hour',
        'Per month', 'Allowed from', 'Action'],
        keys.map(k => [k.name ?? '—', el('code', {}, k.prefix), (k.scopes || []).join(', ') + (k.test ? ' (test)' : ''), k.status,
          time(k.created_at), time(k.last_used_at), time(k.expires_at),
          k.requests_per_hour == null ? 'tier' : count(k.requests_per_hour),
          k.requests_per_month == null ? 'tier' : count(k.requests_per_month),
          (k.allowed_cidrs || []).length === 0 ? 'anywhere' : k.allowed_cidrs.join(', '),
          k.status === 'active' ? revokeButton(k) : '']), []));
    };
    const revokeButton = key => {
      const button = el('button', {type: 'button', class: 'danger', 'aria-label': `Revoke key ${key.name ?? key.prefix}`}, 'Revoke');
      let armed = false;
      button.addEventListener('click', async () => {
        if (!armed) {
          armed = true;
          button.textContent = 'Confirm revoke';
          return;
        }
        button.disabled = true;
        status.replaceChildren();
        try {
          await del('/v1/auth/keys/' + encodeURIComponent(key.id));
          status.append(el('p', {class: 'notice', role: 'status'}, `Key ${key.prefix} revoked.`));
          await reload();
        } catch (e) {
          status.append(errorBox(e));
          button.disabled = false;
        }
      });
      return button;
    };
    show(container, heading, once, status, list,
      createForm(async created => { show(once, shownOnce(created)); await reload(); }, status));
    await reload();
  },
};
