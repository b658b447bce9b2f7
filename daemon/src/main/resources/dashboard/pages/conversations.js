// Conversations: GET /v1/sessions (paged by `next_before`) and one read with GET /v1/sessions/{id}. Message text is shown
// as text, whitespace kept.
import {get} from '../api.js';
import {el, show, table, empty, time, count} from '../dom.js';

async function list(container, heading, stale) {
  const results = el('div');
  const more = el('button', {type: 'button', class: 'secondary', hidden: true}, 'Older conversations');
  const rows = [];
  let next = null;
  const load = async () => {
    more.disabled = true;
    const page = await get('/v1/sessions?limit=20' + (next ? '&before=' + encodeURIComponent(next) : ''));
    if (stale()) return;
    rows.push(...(page.sessions || []));
    next = page.next_before ?? null;
    more.hidden = next === null;
    more.disabled = false;
    show(results, rows.length === 0
      ? empty('No stored conversations yet. Agent sessions (monkey chat, a session_id on /v1/execute) appear here.')
      : table('Conversations, most recent first', ['Title', 'Model', 'Messages', 'Updated'],
        rows.map(s => [el('a', {href: '#/conversations/' + encodeURIComponent(s.id)}, s.title || s.id),
          s.model ?? '—', count(s.message_count), time(new Date(s.updated_ms).toISOString())]), [2]));
  };
  more.addEventListener('click', () => load().catch(e => results.append(el('p', {class: 'error', role: 'alert'}, e.message))));
  show(container, heading, results, more);
  await load();
}

async function one(container, heading, id, stale) {
  const c = await get('/v1/sessions/' + encodeURIComponent(id));
  if (stale()) return;
  show(container, heading,
    el('p', {}, el('a', {href: '#/conversations'}, '← All conversations')),
    el('h2', {}, c.title || c.id),
    el('p', {class: 'hint'}, `${c.model ?? 'no model'} · ${count(c.message_count)} messages · updated `,
      time(new Date(c.updated_ms).toISOString())),
    (c.messages || []).length === 0 ? empty('This conversation has no messages.')
      : el('ol', {class: 'transcript'}, c.messages.map(m => el('li', {class: 'message ' + (m.role === 'user' ? 'user' : 'assistant')},
        el('p', {class: 'role'}, m.role, m.model ? ` · ${m.model}` : ''),
        el('div', {class: 'text'}, m.content)))));
}

export default {
  id: 'conversations',
  title: 'Conversations',
  async render(container, {params, stale}) {
    const heading = container.querySelector('h1');
    if (params.length > 0 && params[0]) {
      await one(container, heading, params[0], stale);
    } else {
      await list(container, heading, stale);
    }
  },
};
