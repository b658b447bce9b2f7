// Usage: GET /v1/billing/usage for a window, a bar per day (requests, tokens or cost), the totals exactly as the API
// gives them (cost in micro-dollars, shown with all six decimals), a breakdown by model, provider, key or agent
// session, and the whole report as CSV.
import {get} from '../api.js';
import {el, svg, show, table, empty, dollars, count} from '../dom.js';

const METRICS = {
  requests: {label: 'Requests', value: b => b.requests, format: count},
  tokens: {label: 'Tokens', value: b => b.prompt_tokens + b.completion_tokens, format: count},
  cost: {label: 'Cost', value: b => b.cost_micros, format: dollars},
};
const GROUPS = {by_model: 'Model', by_provider: 'Provider', by_key: 'Key', by_session: 'Agent session'};

/** Every UTC day of the window, oldest first, with the report's bucket or zeros. */
function days(report) {
  const byKey = new Map((report.by_day || []).map(b => [b.key, b]));
  const out = [];
  const start = new Date(report.from);
  const end = new Date(report.to);
  const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  while (day < end && out.length < 400) {
    const key = day.toISOString().slice(0, 10);
    out.push(byKey.get(key) || {key, requests: 0, errors: 0, cached_requests: 0, prompt_tokens: 0, completion_tokens: 0, cost_micros: 0});
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out;
}

/** Bars drawn as SVG: no chart library to ship, and each bar names its day and value for screen readers. */
function chart(series, metric) {
  const m = METRICS[metric];
  const width = 720;
  const height = 220;
  const pad = {top: 12, right: 8, bottom: 28, left: 8};
  const max = Math.max(1, ...series.map(d => Number(m.value(d))));
  const slot = (width - pad.left - pad.right) / Math.max(1, series.length);
  const bars = series.map((d, i) => {
    const v = Number(m.value(d));
    const h = v === 0 ? 0 : Math.max(2, (height - pad.top - pad.bottom) * v / max);
    const x = pad.left + i * slot + slot * 0.15;
    return svg('rect', {x: x.toFixed(2), y: (height - pad.bottom - h).toFixed(2), width: (slot * 0.7).toFixed(2),
      height: h.toFixed(2), class: 'bar', 'data-day': d.key, 'data-value': String(m.value(d))},
    svg('title', {}, `${d.key}: ${m.format(m.value(d))}`));
  });
  const labels = series.map((d, i) => (i === 0 || i === series.length - 1 || (series.length <= 14) || i % 7 === 0)
    ? svg('text', {x: (pad.left + i * slot + slot / 2).toFixed(2), y: height - 8, class: 'axis', 'text-anchor': 'middle'},
      d.key.slice(5))
    : null);
  const total = series.reduce((sum, d) => sum + Number(m.value(d)), 0);
  return svg('svg', {viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img',
    'aria-label': `${m.label} per day, ${series[0]?.key} to ${series.at(-1)?.key}; busiest day ${m.format(max === 1 && total === 0 ? 0 : max)}`},
  svg('line', {x1: pad.left, x2: width - pad.right, y1: height - pad.bottom, y2: height - pad.bottom, class: 'baseline'}),
  bars, labels);
}

function totals(t) {
  const item = (name, label, value) => el('div', {class: 'stat'},
    el('dt', {}, label), el('dd', {'data-total': name}, value));
  return el('dl', {class: 'stats'},
    item('requests', 'Requests', count(t.requests)),
    item('errors', 'Failed', count(t.errors)),
    item('cached_requests', 'Cached', count(t.cached_requests)),
    item('prompt_tokens', 'Tokens in', count(t.prompt_tokens)),
    item('completion_tokens', 'Tokens out', count(t.completion_tokens)),
    item('cost_micros', 'Cost', dollars(t.cost_micros)));
}

function breakdown(report, group) {
  const rows = (report[group] || []);
  if (rows.length === 0) return empty('Nothing to break down in this window.');
  return table(`Usage by ${GROUPS[group].toLowerCase()}`,
    [GROUPS[group], 'Requests', 'Failed', 'Tokens in', 'Tokens out', 'Cost'],
    rows.map(b => [b.key ?? '—', count(b.requests), count(b.errors), count(b.prompt_tokens), count(b.completion_tokens), dollars(b.cost_micros)]),
    [1, 2, 3, 4, 5]);
}

function csvCell(v) {
  const s = String(v ?? '');
  // a leading = + - @ would be a formula in a spreadsheet: quote it as text
  const safe = /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
  return /[",\n\r]/.test(safe) ? '"' + safe.replaceAll('"', '""') + '"' : safe;
}

function csv(report) {
  const lines = [['group', 'key', 'requests', 'errors', 'cached_requests', 'prompt_tokens', 'completion_tokens', 'cost_micros', 'cost_usd']];
  const row = (group, b) => lines.push([group, b.key ?? '', b.requests, b.errors, b.cached_requests, b.prompt_tokens,
    b.completion_tokens, b.cost_micros, dollars(b.cost_micros).replace('$', '')]);
  row('total', {...report.totals, key: `${report.from}/${report.to}`});
  for (const [group, name] of [['by_day', 'day'], ['by_model', 'model'], ['by_provider', 'provider'], ['by_key', 'key'], ['by_session', 'session']]) {
    for (const b of report[group] || []) row(name, b);
  }
  return lines.map(l => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], {type: 'text/csv'}));
  const a = el('a', {href: url, download: name, hidden: true});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export default {
  id: 'usage',
  title: 'Usage',
  async render(container, {stale}) {
    const state = {days: '30', metric: 'requests', group: 'by_model', report: null};
    const windowSelect = el('select', {id: 'usage-window'},
      [['1', 'Last 24 hours'], ['7', 'Last 7 days'], ['30', 'Last 30 days'], ['90', 'Last 90 days']]
        .map(([v, label]) => el('option', {value: v, selected: v === state.days}, label)));
    const metricSelect = el('select', {id: 'usage-metric'},
      Object.entries(METRICS).map(([v, m]) => el('option', {value: v}, m.label)));
    const groupSelect = el('select', {id: 'usage-group'},
      Object.entries(GROUPS).map(([v, label]) => el('option', {value: v}, label)));
    const exportButton = el('button', {type: 'button', class: 'secondary', disabled: true}, 'Export CSV');
    const body = el('div', {class: 'usage-body'});
    const heading = container.querySelector('h1');
    show(container, heading,
      el('div', {class: 'controls'},
        el('div', {class: 'field'}, el('label', {for: 'usage-window'}, 'Window'), windowSelect),
        el('div', {class: 'field'}, el('label', {for: 'usage-metric'}, 'Chart'), metricSelect),
        el('div', {class: 'field'}, el('label', {for: 'usage-group'}, 'Break down by'), groupSelect),
        exportButton),
      body);

    const draw = () => {
      const r = state.report;
      const series = days(r);
      const figure = el('figure', {class: 'chart-box'}, chart(series, state.metric),
        el('figcaption', {}, `${METRICS[state.metric].label} per day (UTC)`));
      show(body, totals(r.totals),
        r.totals.requests === 0 ? empty('No requests in this window yet. Try monkey implement --provider demo "hello".') : figure,
        el('h2', {}, `By ${GROUPS[state.group].toLowerCase()}`), breakdown(r, state.group));
    };
    const load = async () => {
      show(body, el('p', {class: 'loading', role: 'status'}, 'Loading usage…'));
      exportButton.disabled = true;
      const report = await get('/v1/billing/usage?days=' + encodeURIComponent(state.days));
      if (stale()) return;
      state.report = report;
      exportButton.disabled = false;
      draw();
    };
    windowSelect.addEventListener('change', () => { state.days = windowSelect.value; load().catch(e => show(body, el('p', {class: 'error', role: 'alert'}, e.message))); });
    metricSelect.addEventListener('change', () => { state.metric = metricSelect.value; if (state.report) draw(); });
    groupSelect.addEventListener('change', () => { state.group = groupSelect.value; if (state.report) draw(); });
    exportButton.addEventListener('click', () => {
      if (state.report) download(`monkey-usage-${state.report.from.slice(0, 10)}-${state.report.to.slice(0, 10)}.csv`, csv(state.report));
    });
    await load();
  },
};
