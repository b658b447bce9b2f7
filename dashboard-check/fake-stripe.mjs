// Stripe's API as far as the gateway's checkout uses it, for the dashboard check: POST /v1/checkout/sessions
// answers a Checkout Session object shaped as Stripe documents it (id cs_test_..., object "checkout.session", mode,
// metadata, amounts, status "open", and a url), GET /v1/checkout/sessions/{id} gives it back (the check builds
// the webhook's event from it), and the session's url serves a small page standing in for Stripe's hosted one.
// Usage: node fake-stripe.mjs SECRET_KEY; prints "port N" once listening.
import http from 'node:http';
import {randomBytes} from 'node:crypto';

const SECRET_KEY = process.argv[2];
const sessions = new Map();

function stripeError(res, status, message) {
  res.writeHead(status, {'Content-Type': 'application/json', 'Request-Id': 'req_fake_' + randomBytes(6).toString('hex')});
  res.end(JSON.stringify({error: {message, type: 'invalid_request_error'}}));
}

/** Stripe's form encoding: metadata[account_id]=... and line_items[0][price_data][unit_amount]=... as flat keys. */
function form(body) {
  const out = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

function checkoutSession(f, base) {
  const id = 'cs_test_' + randomBytes(12).toString('hex');
  const metadata = {};
  for (const [k, v] of Object.entries(f)) {
    const m = /^metadata\[(.+)\]$/.exec(k);
    if (m) metadata[m[1]] = v;
  }
  const amount = f['line_items[0][price_data][unit_amount]'] ? Number(f['line_items[0][price_data][unit_amount]']) : null;
  const now = Math.floor(Date.now() / 1000);
  return {
    id, object: 'checkout.session', after_expiration: null, allow_promotion_codes: null,
    amount_subtotal: amount, amount_total: amount, automatic_tax: {enabled: false, liability: null, status: null},
    billing_address_collection: null, cancel_url: f.cancel_url ?? null, client_reference_id: f.client_reference_id ?? null,
    client_secret: null, consent: null, consent_collection: null, created: now, currency: 'usd',
    customer: f.customer ?? null, customer_creation: f.customer_creation ?? null, customer_details: null,
    customer_email: null, expires_at: now + 86400, invoice: null, livemode: false, locale: null, metadata,
    mode: f.mode, payment_intent: null, payment_link: null, payment_method_collection: 'if_required',
    payment_method_types: ['card'], payment_status: 'unpaid', status: 'open', submit_type: null,
    subscription: null, success_url: f.success_url ?? null, total_details: {amount_discount: 0, amount_shipping: 0, amount_tax: 0},
    ui_mode: 'hosted', url: `${base}/c/pay/${id}`,
  };
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', chunk => { body += chunk; });
  req.on('end', () => {
    const base = `http://127.0.0.1:${server.address().port}`;
    const url = new URL(req.url, base);
    const pay = /^\/c\/pay\/(cs_test_[0-9a-f]+)$/.exec(url.pathname);
    if (req.method === 'GET' && pay) {
      // The hosted checkout page stands in for Stripe's: the browser only needs to land here.
      const s = sessions.get(pay[1]);
      res.writeHead(s ? 200 : 404, {'Content-Type': 'text/html; charset=utf-8'});
      res.end(`<!doctype html><html lang="en"><head><title>Fake Stripe Checkout</title></head><body><h1>Fake Stripe Checkout</h1>`
        + `<p id="session">${s ? s.id : 'unknown session'}</p></body></html>`);
      return;
    }
    if (req.headers.authorization !== 'Bearer ' + SECRET_KEY) {
      stripeError(res, 401, 'Invalid API Key provided');
      return;
    }
    const one = /^\/v1\/checkout\/sessions\/(cs_test_[0-9a-f]+)$/.exec(url.pathname);
    if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
      const s = checkoutSession(form(body), base);
      sessions.set(s.id, s);
      res.writeHead(200, {'Content-Type': 'application/json', 'Request-Id': 'req_fake_' + randomBytes(6).toString('hex')});
      res.end(JSON.stringify(s));
    } else if (req.method === 'GET' && one && sessions.has(one[1])) {
      res.writeHead(200, {'Content-Type': 'application/json'});
      res.end(JSON.stringify(sessions.get(one[1])));
    } else {
      stripeError(res, 404, 'Unrecognized request URL');
    }
  });
});
server.listen(0, '127.0.0.1', () => console.log(`port ${server.address().port}`));
