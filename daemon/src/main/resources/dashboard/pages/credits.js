// Credits and plan (shared gateway): the balance (GET /usage), the plans on offer (GET /v1/billing/plans), buying
// credits or a plan through Stripe Checkout (POST /v1/billing/checkout, then the browser goes to Stripe's page; the
// credits arrive with Stripe's webhook, not with the return), and the payments so far (GET /v1/billing/payments).
import {get, post} from '../api.js';
import {el, show, table, empty, errorBox, time, dollars, count} from '../dom.js';

/** A plan's price as the API gives it (dollars with cents): $20.00, not six decimals of micro-dollars. */
function usd(value) {
  const n = Number(value ?? 0);
  return '$' + n.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2});
}

/** Sends the browser to Stripe's checkout page; the success and cancel pages are the operator's settings. */
async function checkout(body, button, status) {
  button.disabled = true;
  status.replaceChildren(el('p', {class: 'loading', role: 'status'}, 'Opening Stripe Checkout…'));
  try {
    const session = await post('/v1/billing/checkout', body);
    const url = new URL(session.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('Stripe answered an address that is not a web page.');
    window.location.assign(url.href);
  } catch (e) {
    status.replaceChildren(errorBox(e));
    button.disabled = false;
  }
}

function buyForm(status) {
  const amount = el('input', {id: 'credits-amount', name: 'credits_usd', type: 'number', min: '1', step: '0.01',
    inputmode: 'decimal', value: '10', required: true, 'aria-describedby': 'credits-hint'});
  const button = el('button', {type: 'submit'}, 'Buy credits');
  const form = el('form', {class: 'stack', 'aria-labelledby': 'buy-title'},
    el('h2', {id: 'buy-title'}, 'Buy credits'),
    el('label', {for: 'credits-amount'}, 'Amount in US dollars'), amount,
    el('p', {id: 'credits-hint', class: 'hint'}, 'Paid once through Stripe Checkout; the credits are added as soon as Stripe confirms the payment.'),
    button);
  form.addEventListener('submit', event => {
    event.preventDefault();
    const dollarsWanted = Number(amount.value);
    if (!Number.isFinite(dollarsWanted) || dollarsWanted <= 0) {
      status.replaceChildren(errorBox(new Error('Enter an amount of dollars above zero, such as 10 or 12.50.')));
      amount.focus();
      return;
    }
    checkout({credits_usd: dollarsWanted}, button, status);
  });
  return form;
}

function plansTable(plans, tier, status) {
  if (plans.length === 0) return empty('This gateway offers no plans.');
  return table('Plans', ['Plan', 'Description', 'Per month', 'Credits each month', 'Requests per hour', 'Subscribe'],
    plans.map(p => {
      const current = p.tier === tier;
      let action = '';
      if (current) {
        action = el('span', {class: 'badge'}, 'Your tier');
      } else if (p.checkout) {
        const button = el('button', {type: 'button', class: 'secondary', 'aria-label': `Change to ${p.name} plan`}, `Change to ${p.name}`);
        button.addEventListener('click', () => checkout({plan: p.name}, button, status));
        action = button;
      } else {
        action = el('span', {class: 'hint'}, 'Ask the operator');
      }
      return [el('strong', {}, p.name), p.description ?? '', usd(p.price_usd), usd(p.credits_usd_per_month),
        p.requests_per_hour == null ? 'no cap' : count(p.requests_per_hour), action];
    }), [2, 3, 4]);
}

export default {
  id: 'credits',
  title: 'Credits & plan',
  localHidden: true,
  gatewayOnly: 'Credits and plans belong to a shared gateway. The local daemon has one user and no credit limit.',
  async render(container, {stale}) {
    const heading = container.querySelector('h1');
    const status = el('div', {'aria-live': 'assertive'});
    const [usage, plans, payments] = await Promise.all([
      get('/usage'),
      get('/v1/billing/plans').catch(e => ({error: e})),
      get('/v1/billing/payments?limit=100').catch(e => ({error: e})),
    ]);
    if (stale()) return;
    const balance = usage.credit_micros == null
      ? el('dd', {'data-testid': 'balance'}, 'No limit')
      : el('dd', {'data-testid': 'balance', 'data-micros': String(usage.credit_micros)}, dollars(usage.credit_micros));
    const stats = el('dl', {class: 'stats'},
      el('div', {class: 'stat'}, el('dt', {}, 'Credit balance'), balance),
      el('div', {class: 'stat'}, el('dt', {}, 'Tier'), el('dd', {'data-testid': 'tier'}, usage.tier ?? '—')),
      el('div', {class: 'stat'}, el('dt', {}, 'Requests this hour'),
        el('dd', {}, `${count(usage.requests_used)} of ${usage.requests_limit == null ? 'no cap' : count(usage.requests_limit)}`)));
    const note = usage.credit_micros == null
      ? el('p', {class: 'notice', role: 'note'}, 'This gateway does not limit spending by credits, so there is no balance to top up.')
      : (usage.credit_micros < 0 ? el('p', {class: 'error', role: 'alert'}, 'Your balance is below zero: requests are refused (402) until you buy credits.') : null);
    const plansBox = plans.error ? errorBox(plans.error) : plansTable(plans.plans || [], usage.tier, status);
    const paymentsBox = payments.error ? errorBox(payments.error)
      : (payments.payments || []).length === 0 ? empty('No payments yet.')
        : table('Payments and credit changes, newest first', ['Time', 'Kind', 'Amount', 'Reference', 'Reason'],
          payments.payments.map(p => [time(p.time), p.kind, dollars(p.amount_micros), p.reference ? el('code', {}, p.reference) : '—', p.reason ?? '—']), [2]);
    show(container, heading, stats, note, status,
      el('div', {class: 'columns'}, buyForm(status)),
      el('h2', {}, 'Plans'), plansBox,
      el('h2', {}, 'Payment history'), paymentsBox);
  },
};
