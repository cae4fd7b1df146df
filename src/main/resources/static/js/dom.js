// Tiny DOM helpers shared by the views: h() builds elements, the rest format numbers and show problems.

/** h('a', {href: '#/x', class: 'btn'}, 'text', child…): attributes starting with "on" become listeners. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** A number for people: 4 significant digits, no exponent for ordinary sizes. */
export function num(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en');
  return String(Number(v.toPrecision(4)));
}

export function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${num(Math.round(n * 10) / 10)} ${units[i]}`;
}

export function seconds(s) {
  if (s === null || s === undefined) return '—';
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 120) return `${num(Math.round(s * 10) / 10)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export const shortId = (id) => (id ? String(id).slice(0, 8) : '—');

/** A table from column headers and rows of cells; wrapped so that it scrolls sideways on a phone, not the page. */
export function table(headers, rows, attrs) {
  return h('div', {class: 'scroll'}, h('table', attrs || {},
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', {scope: 'col'}, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))))));
}

/** A definition list from [term, description] pairs. */
export function facts(pairs) {
  return h('dl', {class: 'facts'}, pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/**
 * Shows a problem body's field errors next to the fields they name: each form field sits in an element with
 * data-field="model.hiddenLayers" (say); "model.hiddenLayers[0]" finds it too. What names no field goes to `general`.
 */
export function showProblem(form, problem, general) {
  clearProblems(form);
  const errors = (problem && problem.errors) || [];
  const left = [];
  for (const e of errors) {
    const holder = fieldHolder(form, e.field);
    if (holder) {
      const msg = holder.querySelector('.field-error') || holder.appendChild(h('p', {class: 'field-error'}));
      msg.textContent = msg.textContent ? `${msg.textContent}; ${e.message}` : e.message;
      msg.id = msg.id || `err-${Math.random().toString(36).slice(2)}`;
      holder.classList.add('invalid');
      const input = holder.querySelector('input, select, textarea');
      if (input) { input.setAttribute('aria-invalid', 'true'); input.setAttribute('aria-describedby', msg.id); }
    } else {
      left.push(e.field ? `${e.field}: ${e.message}` : e.message);
    }
  }
  if (general) {
    general.replaceChildren();
    if (left.length || !errors.length) {
      general.append(h('p', {class: 'error', role: 'alert'}, problem ? (problem.title || 'Error') + ': ' : '',
        left.length ? left.join('; ') : (problem && (problem.detail || problem.message)) || String(problem)));
    }
  }
}

export function clearProblems(form) {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
}

function fieldHolder(form, field) {
  if (!field) return null;
  let name = field;
  while (name) {
    const el = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (el) return el;
    const cut = Math.max(name.lastIndexOf('['), name.lastIndexOf('.'));
    if (cut <= 0) return null;
    name = name.slice(0, cut);
  }
  return null;
}

/** A labelled field: the wrapper carries data-field so that problems find it. */
export function field(name, label, input, hint) {
  input.id = input.id || `f-${name.replace(/[^a-zA-Z0-9]/g, '-')}`;
  input.name = input.name || name;
  return h('div', {class: 'field', dataset: {field: name}},
    h('label', {for: input.id}, label), input, hint ? h('p', {class: 'hint'}, hint) : null);
}

/** Offers a Blob as a download with a file name (the page cannot hand the browser a URL needing a header). */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', {href: url, download: name});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
