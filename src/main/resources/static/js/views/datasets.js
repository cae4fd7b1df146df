// Datasets: the list with a creation form (the generators with the reference's values, or a CSV upload), and one
// dataset's page: statistics, its scatter plot, a preview of its rows, delete.
import {api, plot, upload} from '../api.js';
import {clearProblems, facts, field, h, num, showProblem, table, time} from '../dom.js';

// The README's two reference datasets, as its curl examples create them.
const GENERATORS = {
  rings: {name: 'reference rings', seed: 7, source: {type: 'rings', positives: 2000, negatives: 2000,
    innerRadius: 5.0, outerRadius: 8.0, noise: 1.0}},
  linear: {name: 'reference linear regression', seed: 42, source: {type: 'linear', samples: 400,
    weights: [2.0, -3.0], bias: 3.0, noise: 2.0, low: -10, high: 10}},
};

export async function list(view) {
  const page = await api('datasets', {query: {size: 100}});
  view.append(
    h('h1', {}, 'Datasets'),
    page.items.length
      ? table(['Name', 'Rows', 'Features', 'Labels', 'Created', ''], page.items.map((d) => [
        h('a', {href: `#/datasets/${d.id}`}, d.name), num(d.rows), d.featureNames.join(', '),
        d.labelNames.join(', '), time(d.createdAt),
        h('a', {href: `#/jobs/new?dataset=${d.id}`, class: 'small'}, 'Train…')]), {id: 'datasets'})
      : h('p', {class: 'muted', id: 'datasets'}, 'No datasets yet: create one below.'),
    h('h2', {}, 'New dataset'),
    createForm());
}

function createForm() {
  const kind = h('select', {id: 'dataset-kind'},
    h('option', {value: 'rings'}, 'Generator: rings (classification)'),
    h('option', {value: 'linear'}, 'Generator: linear (regression)'),
    h('option', {value: 'csv'}, 'CSV upload'));
  const fields = h('div', {class: 'grid'});
  const general = h('div', {});
  const form = h('form', {id: 'dataset-form', class: 'card', novalidate: true},
    field('kind', 'Source', kind), fields, general,
    h('div', {class: 'actions'}, h('button', {type: 'submit', id: 'create-dataset'}, 'Create dataset')));
  const fill = () => {
    clearProblems(form);
    fields.replaceChildren(...(kind.value === 'csv' ? csvFields() : generatorFields(GENERATORS[kind.value])));
  };
  kind.addEventListener('change', fill);
  fill();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const created = kind.value === 'csv' ? await uploadCsv(form) : await api('datasets', {method: 'POST',
        body: generatorRequest(form, GENERATORS[kind.value])});
      location.hash = `#/datasets/${created.id}`;
    } catch (err) {
      showProblem(form, err.problem || {detail: err.message}, general);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function generatorFields(preset) {
  const out = [field('name', 'Name', h('input', {value: preset.name, required: true})),
    field('seed', 'Seed', h('input', {type: 'number', value: preset.seed, step: 1}))];
  for (const [key, value] of Object.entries(preset.source)) {
    if (key === 'type') continue;
    const input = Array.isArray(value)
      ? h('input', {value: value.join(', '), inputmode: 'decimal'})
      : h('input', {type: 'number', value, step: 'any'});
    out.push(field(`source.${key}`, key, input, Array.isArray(value) ? 'comma-separated' : null));
  }
  return out;
}

function generatorRequest(form, preset) {
  const value = (name) => form.elements[name].value.trim();
  const source = {type: preset.source.type};
  for (const [key, def] of Object.entries(preset.source)) {
    if (key === 'type' || value(`source.${key}`) === '') continue;
    source[key] = Array.isArray(def) ? value(`source.${key}`).split(/[\s,]+/).filter(Boolean).map(Number)
      : Number(value(`source.${key}`));
  }
  const body = {name: value('name'), source};
  if (value('seed') !== '') body.seed = Number(value('seed'));
  return body;
}

function csvFields() {
  return [
    field('name', 'Name', h('input', {placeholder: 'from the file name'})),
    field('labels', 'Label columns', h('input', {placeholder: 'e.g. y (default: the last column)'})),
    field('missing', 'Missing cells', h('select', {},
      ['refuse', 'mean', 'most_frequent'].map((m) => h('option', {value: m}, m)))),
    field('file', 'CSV file (header row)', h('input', {type: 'file', accept: '.csv,text/csv', required: true})),
  ];
}

async function uploadCsv(form) {
  const file = form.elements.file.files[0];
  if (!file) throw {problem: {title: 'Bad request', errors: [{field: 'file', message: 'choose a CSV file'}]}};
  const query = {name: form.elements.name.value.trim() || file.name.replace(/\.csv$/i, '')};
  if (form.elements.labels.value.trim()) query.labels = form.elements.labels.value.trim();
  if (form.elements.missing.value !== 'refuse') query.missing = form.elements.missing.value;
  return upload('datasets', await file.text(), 'text/csv', query);
}

export async function detail(view, {id}) {
  const d = await api(`datasets/${id}`);
  const rows = h('div', {id: 'rows'});
  const remove = h('button', {type: 'button', class: 'danger', id: 'delete-dataset'}, 'Delete');
  remove.addEventListener('click', async () => {
    if (remove.dataset.armed !== 'true') {
      remove.dataset.armed = 'true';
      remove.textContent = 'Delete: press again to confirm';
      return;
    }
    await api(`datasets/${id}`, {method: 'DELETE'});
    location.hash = '#/datasets';
  });
  view.append(
    h('p', {class: 'crumbs'}, h('a', {href: '#/datasets'}, 'Datasets'), ' / '),
    h('h1', {}, d.name),
    h('div', {class: 'actions'}, h('a', {class: 'button', href: `#/jobs/new?dataset=${d.id}`, id: 'train'},
      'Train a model on it'), remove),
    h('div', {class: 'split'},
      h('section', {},
        h('h2', {}, 'About'),
        facts([['Id', h('code', {}, d.id)], ['Rows', num(d.rows)], ['Features', d.featureNames.join(', ')],
          ['Labels', d.labelNames.join(', ')], ['Source', h('code', {}, JSON.stringify(d.source))],
          ['Seed', d.seed ?? '—'], ['Created', time(d.createdAt)]]),
        h('h2', {}, 'Statistics'),
        table(['Column', 'Role', 'Min', 'Max', 'Mean', 'Std'], d.statistics.map((s) => [s.column, s.role,
          num(s.min), num(s.max), num(s.mean), num(s.std)]), {id: 'statistics'})),
      h('section', {}, h('h2', {}, 'Scatter plot'), plot(`/api/v1/datasets/${id}/plot`, `Scatter plot of ${d.name}`))),
    h('h2', {}, 'Rows'), rows);
  await showRows(rows, d, 0);
}

async function showRows(holder, d, offset) {
  const limit = 20;
  const page = await api(`datasets/${d.id}/rows`, {query: {offset, limit}});
  const go = (to, label) => h('button', {type: 'button', class: 'small', onclick: () => showRows(holder, d, to)},
    label);
  holder.replaceChildren(
    table(['#', ...d.featureNames, ...d.labelNames],
      page.rows.map((r) => [r.index, ...r.features.map(num), ...r.labels.map(num)]), {id: 'rows-table'}),
    h('div', {class: 'actions'}, offset > 0 ? go(Math.max(0, offset - limit), 'Previous') : null,
      h('span', {class: 'muted'}, `rows ${offset + 1}–${Math.min(page.total, offset + limit)} of ${num(page.total)}`),
      offset + limit < page.total ? go(offset + limit, 'Next') : null));
}
