// Signing in: the local daemon with the one-time link `monkey dashboard` prints, a shared gateway with email and
// password, and the authentication code when the account has two-factor authentication on (the gateway says so).
import {post, setCsrf} from '../api.js';
import {el, show, errorBox} from '../dom.js';

function localHelp(session) {
  return [
    el('h1', {id: 'page-title'}, 'Sign in to the local dashboard'),
    session && session.signedOut ? el('p', {class: 'notice', role: 'status'}, 'You are signed out.') : null,
    session && session.expired ? el('p', {class: 'notice', role: 'status'}, 'Your session ended; sign in again to go on where you were.') : null,
    el('p', {}, 'The local daemon signs your browser in with a one-time link. In a terminal, run:'),
    el('pre', {class: 'command'}, el('code', {}, 'monkey dashboard')),
    el('p', {}, 'It opens this page signed in (or prints the link with --print). A link works once, for 60 seconds.'),
  ];
}

function gatewayForm(session, signedIn) {
  const status = el('div', {'aria-live': 'assertive'});
  const email = el('input', {id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true});
  const password = el('input', {id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true});
  // The second factor's field appears only when the gateway says this account needs it (401, mfa_required).
  const code = el('input', {id: 'totp-code', name: 'totp_code', type: 'text', inputmode: 'numeric',
    autocomplete: 'one-time-code', maxlength: '32', 'aria-describedby': 'totp-hint'});
  const codeField = el('div', {class: 'stack', hidden: true},
    el('label', {for: 'totp-code'}, 'Authentication code'), code,
    el('p', {id: 'totp-hint', class: 'hint'}, 'The six digits your authenticator app shows now, or one of your recovery codes.'));
  const button = el('button', {type: 'submit'}, 'Sign in');
  const form = el('form', {class: 'stack narrow', novalidate: true},
    el('label', {for: 'email'}, 'Email'), email,
    el('label', {for: 'password'}, 'Password'), password,
    codeField,
    button, status);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    button.disabled = true;
    status.replaceChildren();
    const body = {email: email.value, password: password.value};
    if (!codeField.hidden && code.value.trim()) body.totp_code = code.value.trim();
    try {
      const answer = await post('/dashboard/api/login', body);
      setCsrf(answer.csrf_token);
      password.value = '';
      code.value = '';
      await signedIn();
    } catch (e) {
      if (e.details && e.details.reason === 'mfa_required' && codeField.hidden) {
        codeField.hidden = false;
        status.append(el('p', {class: 'notice', role: 'status'}, 'This account has two-factor authentication on: enter a code to finish signing in.'));
        code.focus();
      } else {
        status.append(errorBox(e));
        if (!codeField.hidden) {
          code.value = '';
          code.focus();
        }
      }
      button.disabled = false;
    }
  });
  return [
    el('h1', {id: 'page-title'}, 'Sign in'),
    session && session.signedOut ? el('p', {class: 'notice', role: 'status'}, 'You are signed out.') : null,
    session && session.expired ? el('p', {class: 'notice', role: 'status'}, 'Your session ended; sign in again to go on where you were.') : null,
    form,
  ];
}

export default {
  render(view, {session, signedIn}) {
    const section = el('section', {class: 'page', 'aria-labelledby': 'page-title'});
    show(view, section);
    if (!session) {
      show(section, el('h1', {id: 'page-title'}, 'Sign in'), errorBox(new Error('The gateway did not answer.')));
    } else if (session.mode === 'gateway') {
      show(section, ...gatewayForm(session, signedIn));
    } else {
      show(section, ...localHelp(session));
    }
  },
};
