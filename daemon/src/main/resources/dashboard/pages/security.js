// Security (shared gateway): two-factor authentication (GET /v1/auth/mfa; enrol with the password, scan the QR code
// the gateway drew or type the key, confirm with a code, keep the ten recovery codes shown once; disable with a
// code) and the sessions signed in to the account: this dashboard's browsers (/dashboard/api/sessions) and the
// CLI's sign-in sessions (/v1/auth/sessions), each revocable.
import {get, post, del} from '../api.js';
import {el, show, table, empty, errorBox, time} from '../dom.js';

/** A button that asks for a second click instead of a browser dialog, then runs {@code action}. */
function confirmButton(label, ariaLabel, action, status) {
  const button = el('button', {type: 'button', class: 'danger', 'aria-label': ariaLabel}, label);
  let armed = false;
  button.addEventListener('click', async () => {
    if (!armed) {
      armed = true;
      button.textContent = 'Confirm';
      return;
    }
    button.disabled = true;
    status.replaceChildren();
    try {
      await action();
    } catch (e) {
      status.append(errorBox(e));
      button.disabled = false;
    }
  });
  return button;
}

function codeInput(id) {
  return el('input', {id, type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '32', required: true});
}

/** The enrolment just started: the QR code (an SVG the gateway drew, shown as an image), the key, and the confirm form. */
function enrolment(started, box, reload) {
  const status = el('div', {'aria-live': 'assertive'});
  const code = codeInput('mfa-code');
  const button = el('button', {type: 'submit'}, 'Turn on');
  const form = el('form', {class: 'stack', 'aria-labelledby': 'mfa-confirm-title'},
    el('h3', {id: 'mfa-confirm-title'}, 'Confirm with a code'),
    el('label', {for: 'mfa-code'}, 'The six digits your app shows now'), code, button, status);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    button.disabled = true;
    status.replaceChildren();
    try {
      const done = await post('/v1/auth/mfa/confirm', {code: code.value.trim()});
      show(box, recoveryCodes(done.recovery_codes || [], reload));
    } catch (e) {
      status.append(errorBox(e));
      button.disabled = false;
    }
  });
  // The SVG goes in as an image (the CSP allows data: images, never inline script); the URI itself is not shown.
  const qr = el('img', {class: 'qr', width: '240', height: '240', 'data-testid': 'mfa-qr',
    alt: 'QR code of the authenticator key (the same key is written below)',
    src: 'data:image/svg+xml;base64,' + btoa(started.qr_svg)});
  return el('div', {class: 'enrol'},
    el('p', {}, 'Scan this code with an authenticator app (or type the key into it), then enter the code the app shows.'),
    qr,
    el('p', {}, 'Key: ', el('code', {class: 'secret', 'data-testid': 'mfa-secret'}, started.secret)),
    form);
}

function recoveryCodes(codes, reload) {
  const done = el('button', {type: 'button'}, 'I have saved them');
  done.addEventListener('click', reload);
  return el('div', {class: 'notice once', role: 'status'},
    el('p', {}, el('strong', {}, 'Two-factor authentication is on.'), ' Save these recovery codes now: each signs you in once without your phone, and they are not shown again.'),
    el('ul', {class: 'codes', 'data-testid': 'recovery-codes'}, codes.map(c => el('li', {}, el('code', {}, c)))),
    done);
}

function mfaSection(status, reload) {
  const box = el('div');
  if (status.enabled) {
    const code = codeInput('mfa-disable-code');
    const button = el('button', {type: 'submit', class: 'danger'}, 'Turn off');
    const said = el('div', {'aria-live': 'assertive'});
    const form = el('form', {class: 'stack', 'aria-labelledby': 'mfa-disable-title'},
      el('h3', {id: 'mfa-disable-title'}, 'Turn off two-factor authentication'),
      el('label', {for: 'mfa-disable-code'}, 'A code from your app, or a recovery code'), code, button, said);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      button.disabled = true;
      said.replaceChildren();
      try {
        await post('/v1/auth/mfa/disable', {code: code.value.trim()});
        await reload();
      } catch (e) {
        said.append(errorBox(e));
        button.disabled = false;
      }
    });
    show(box, el('p', {'data-testid': 'mfa-status'}, el('strong', {}, 'On'), ' since ', time(status.enabled_at),
      `; ${status.recovery_codes_left} recovery code${status.recovery_codes_left === 1 ? '' : 's'} left.`), form);
    return box;
  }
  const password = el('input', {id: 'mfa-password', type: 'password', autocomplete: 'current-password', required: true});
  const button = el('button', {type: 'submit'}, 'Set up');
  const said = el('div', {'aria-live': 'assertive'});
  const form = el('form', {class: 'stack', 'aria-labelledby': 'mfa-enrol-title'},
    el('h3', {id: 'mfa-enrol-title'}, 'Set up an authenticator app'),
    el('label', {for: 'mfa-password'}, 'Your password'), password, button, said);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    button.disabled = true;
    said.replaceChildren();
    try {
      const started = await post('/v1/auth/mfa/enrol', {password: password.value});
      password.value = '';
      show(box, enrolment(started, box, reload));
    } catch (e) {
      said.append(errorBox(e));
      button.disabled = false;
    }
  });
  show(box, el('p', {'data-testid': 'mfa-status'}, el('strong', {}, 'Off'),
    status.pending ? ' (a setup was started and not confirmed: set up again for a new key).' : '. Signing in asks only for your password.'), form);
  return box;
}

async function browserSessions(list, status, stale) {
  const answer = await get('/dashboard/api/sessions');
  if (stale()) return;
  const rows = answer.sessions || [];
  show(list, rows.length === 0 ? empty('No dashboard sessions.') : table('Dashboard sign-ins', ['Signed in', 'Expires', 'Email', 'This browser', 'Action'],
    rows.map(s => [time(s.signed_in_at), time(s.expires_at), s.label ?? '—', s.current ? 'yes' : '',
      confirmButton('Revoke', `Revoke dashboard session ${s.id}${s.current ? ' (this browser: signs it out)' : ''}`, async () => {
        await del('/dashboard/api/sessions/' + encodeURIComponent(s.id));
        status.append(el('p', {class: 'notice', role: 'status'}, `Dashboard session ${s.id} revoked.`));
        await browserSessions(list, status, stale);
      }, status)]), []));
}

async function apiSessions(list, status, stale) {
  let answer;
  try {
    answer = await get('/v1/auth/sessions');
  } catch (e) {
    if (stale()) return;
    if (e.status === 503) {
      show(list, el('p', {class: 'notice', role: 'note'}, 'Sign-in sessions for the CLI and apps are off on this gateway (its operator has not set JWT_SECRET_KEY); keys work without them.'));
      return;
    }
    throw e;
  }
  if (stale()) return;
  const rows = answer.sessions || [];
  show(list, rows.length === 0 ? empty('No CLI or app sessions (monkey auth login opens one).') : table('CLI and app sessions', ['Signed in', 'Last used', 'Expires', 'Address', 'Client', 'Action'],
    rows.map(s => [time(s.created_at), time(s.last_used_at), time(s.expires_at), s.client_address ?? '—', s.user_agent ?? '—',
      confirmButton('Revoke', `Revoke session ${s.id}`, async () => {
        await del('/v1/auth/sessions/' + encodeURIComponent(s.id));
        status.append(el('p', {class: 'notice', role: 'status'}, `Session ${s.id} revoked.`));
        await apiSessions(list, status, stale);
      }, status)]), []));
}

export default {
  id: 'security',
  title: 'Security',
  localHidden: true,
  gatewayOnly: 'Two-factor authentication and sign-in sessions belong to a shared gateway’s accounts. The local daemon has one user, signed in by `monkey dashboard`’s one-time link.',
  async render(container, {stale}) {
    const heading = container.querySelector('h1');
    const mfaBox = el('div', {}, el('p', {class: 'loading', role: 'status'}, 'Loading…'));
    const status = el('div', {'aria-live': 'assertive'});
    const browsers = el('div', {}, el('p', {class: 'loading', role: 'status'}, 'Loading sessions…'));
    const apps = el('div', {}, el('p', {class: 'loading', role: 'status'}, 'Loading sessions…'));
    const reloadMfa = async () => {
      const s = await get('/v1/auth/mfa');
      if (stale()) return;
      show(mfaBox, mfaSection(s, reloadMfa));
    };
    show(container, heading,
      el('h2', {}, 'Two-factor authentication'), mfaBox,
      el('h2', {}, 'Sessions'), status,
      el('h3', {}, 'Dashboard'), browsers,
      el('h3', {}, 'CLI and apps'), apps);
    await Promise.all([reloadMfa(), browserSessions(browsers, status, stale), apiSessions(apps, status, stale)]);
  },
};
