// Building the page without HTML strings: every text, the API's included, goes in through textContent, so a key
// name or a conversation holding markup shows as that markup, never as elements.

/** An element: el('p', {class: 'x'}, 'text', child, ...). Attributes are set one by one; children are nodes or text. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (value === true) {
      node.setAttribute(name, '');
    } else {
      node.setAttribute(name, String(value));
    }
  }
  append(node, children);
  return node;
}

/** An SVG element (the chart). */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what a container shows. */
export function show(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

/** A table in a scrolling box (narrow screens scroll it sideways instead of breaking the layout). */
export function table(caption, headers, rows, numeric = []) {
  return el('div', {class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption},
    el('table', {},
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, headers.map((h, i) => el('th', {scope: 'col', class: numeric.includes(i) ? 'num' : null}, h)))),
      el('tbody', {}, rows.map(cells => el('tr', {}, cells.map((c, i) =>
        el('td', {class: numeric.includes(i) ? 'num' : null}, c)))))));
}

export function loading(text = 'Loading…') {
  return el('p', {class: 'loading', role: 'status'}, text);
}

export function empty(text) {
  return el('p', {class: 'empty'}, text);
}

export function errorBox(error) {
  return el('p', {class: 'error', role: 'alert'}, error.message || String(error));
}

/** Integer micro-dollars as dollars with all six decimals, without going through floating point. */
export function dollars(micros) {
  const m = BigInt(micros ?? 0);
  const sign = m < 0n ? '-' : '';
  const abs = m < 0n ? -m : m;
  return `${sign}$${(abs / 1000000n).toString()}.${(abs % 1000000n).toString().padStart(6, '0')}`;
}

export function count(n) {
  return Number(n ?? 0).toLocaleString('en-US');
}

/** An ISO time as the browser's local date and time (the raw value in a tooltip). */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

export function time(iso) {
  const node = el('time', {datetime: iso || null, title: iso || null}, when(iso));
  return node;
}
