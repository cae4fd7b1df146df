// Models: the list, and one model's page: architecture, signature, parameters, its plot, evaluation reports where
// the service has them, a prediction form (with explain: each output's gradient with respect to the inputs), export.
import {api, blob, plot, send} from '../api.js';
import {download, facts, field, h, num, shortId, showProblem, table, time} from '../dom.js';

export async function list(view) {
  const page = await api('models', {query: {size: 100}});
  view.append(h('h1', {}, 'Models'), page.items.length
    ? table(['Model', 'Kind', 'Architecture', 'Trained on', 'Final metrics', 'Created'], page.items.map((m) => [
      h('a', {href: `#/models/${m.id}`}, shortId(m.id)), m.kind, architecture(m.architecture),
      m.datasetId ? h('a', {href: `#/datasets/${m.datasetId}`}, shortId(m.datasetId)) : '—',
      metrics(m.training), time(m.createdAt)]), {id: 'models'})
    : h('p', {class: 'muted', id: 'models'}, 'No models yet: a job that succeeds makes one.'));
}

export async function detail(view, {id}) {
  const m = await api(`models/${id}`);
  const s = m.signature;
  const evaluations = h('section', {id: 'evaluations', hidden: true});
  view.append(
    h('p', {class: 'crumbs'}, h('a', {href: '#/models'}, 'Models'), ' / '),
    h('h1', {}, `Model ${shortId(id)}`),
    h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'secondary', id: 'export', onclick: async () =>
        download(await blob(`/api/v1/models/${id}/export`), `model-${shortId(id)}.json`)}, 'Export (JSON)'),
      m.jobId ? h('a', {class: 'button secondary', href: `#/jobs/${m.jobId}`}, 'Its training job') : null),
    h('div', {class: 'split'},
      h('section', {},
        h('h2', {}, 'About'),
        facts([['Id', h('code', {}, m.id)], ['Kind', m.kind], ['Origin', m.origin],
          ['Architecture', architecture(m.architecture)],
          ['Dataset', m.datasetId ? h('a', {href: `#/datasets/${m.datasetId}`}, shortId(m.datasetId)) : '—'],
          ['Trained', m.training ? `${m.training.loss}, ${m.training.optimizer}, ${m.training.epochs} epochs`
            + (m.training.stopped ? ` (${m.training.stopped.replace('_', ' ')})` : '') : '—'],
          ['Final metrics', metrics(m.training)], ['Created', time(m.createdAt)]]),
        h('h2', {}, 'Signature'),
        facts([['Inputs', `${s.inputs}: ${(s.featureNames || []).join(', ')}`],
          ['Outputs', `${s.outputs}: ${(s.labelNames || []).join(', ')}`],
          s.classNames ? ['Classes', s.classNames.join(', ')] : null,
          s.threshold != null ? ['Threshold', num(s.threshold)] : null].filter(Boolean)),
        h('h2', {}, 'Layers'),
        table(['Layer', 'Inputs', 'Units', 'Activation'], (m.architecture.layers || []).map((l) =>
          [l.name, l.inputs ?? '—', l.units ?? '—', l.activation ?? '—']))),
      h('section', {}, h('h2', {}, m.kind === 'classifier' ? 'Decision regions' : 'Fit'),
        plot(`/api/v1/models/${id}/plot`, `Plot of model ${shortId(id)}`))),
    h('h2', {}, 'Predict'), predictionForm(m),
    evaluations,
    h('h2', {}, 'Parameters'), parameters(m.parameters));
  showEvaluations(evaluations, id); // the section stays hidden where the service has no evaluations
}

function architecture(a) {
  if (!a) return '—';
  const widths = [a.inputs, ...(a.hiddenLayers || []), a.outputs].filter((w) => w != null);
  return `${a.type} ${widths.join('-')}${a.activation && a.type !== 'linear' ? `, ${a.activation}` : ''}`
    + `${a.output ? ` → ${a.output}` : ''}`;
}

function metrics(training) {
  const m = training && training.metrics;
  return m ? Object.entries(m).map(([k, v]) => `${k} ${num(v)}`).join(' · ') : '—';
}

function parameters(params) {
  return h('div', {id: 'parameters'}, Object.entries(params || {}).map(([name, p]) =>
    h('details', {}, h('summary', {}, `${name} [${p.shape.join(' × ')}]`),
      h('pre', {}, format(p.values)))));
}

function format(values) {
  if (!Array.isArray(values)) return num(values);
  if (values.length && Array.isArray(values[0])) return values.map((r) => r.map(num).join('  ')).join('\n');
  return values.map(num).join('  ');
}

function predictionForm(m) {
  const s = m.signature;
  const sample = (s.featureRanges || []).map(([lo, hi]) => Number(((lo + hi) / 2).toFixed(2)));
  const rows = h('textarea', {rows: 4, spellcheck: 'false', id: 'instances'},
    sample.length ? sample.join(', ') : '');
  const explain = h('input', {type: 'checkbox', id: 'explain', name: 'explain'});
  const out = h('div', {id: 'predictions', 'aria-live': 'polite'});
  const general = h('div', {});
  const form = h('form', {class: 'card', id: 'predict-form', novalidate: true},
    field('instances', `Instances: one per line, ${s.inputs} values (${(s.featureNames || []).join(', ')})`, rows),
    h('label', {class: 'check', for: 'explain'}, explain, ' explain (gradient of each output with respect to the inputs)'),
    general,
    h('div', {class: 'actions'}, h('button', {type: 'submit', id: 'predict'}, 'Predict')), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const instances = rows.value.split('\n').map((l) => l.trim()).filter(Boolean)
      .map((l) => l.split(/\s*,\s*|\s+/).map(cell));
    try {
      const answer = await api(`models/${m.id}/predictions`, {method: 'POST', query: {explain: explain.checked},
        body: {instances}});
      showProblem(form, null, null);
      general.replaceChildren();
      out.replaceChildren(predictionTable(s, instances, answer));
    } catch (err) {
      out.replaceChildren();
      showProblem(form, err.problem || {detail: err.message}, general);
    }
  });
  return form;
}

/** A number where the text is one, else the text (a categorical value, once the service takes them). */
function cell(text) {
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : text;
}

function predictionTable(s, instances, answer) {
  const names = s.labelNames || [];
  const headers = ['#', 'Inputs', ...(names.length ? names : ['prediction'])];
  if (answer.classes) headers.push('Class');
  if (answer.inputGradients) headers.push('Gradient ∂output/∂input');
  return table(headers, instances.map((inst, i) => {
    const row = [i, inst.join(', '), ...answer.predictions[i].map(num)];
    if (answer.classes) {
      row.push(answer.classes[i].map((c) => (s.classNames ? s.classNames[c] ?? c : c)).join(', '));
    }
    if (answer.inputGradients) {
      row.push(answer.inputGradients[i].map((g) => `[${g.map(num).join(', ')}]`).join(' '));
    }
    return row;
  }), {id: 'predictions-table'});
}

/**
 * GET /models/{id}/evaluations: shown when the service answers 200 (with a form to evaluate on a dataset), hidden
 * when it has no such endpoint (404).
 */
async function showEvaluations(section, id) {
  const response = await send(`/api/v1/models/${id}/evaluations`, {headers: {Accept: 'application/json'}});
  if (!response.ok) return;
  const body = await response.json();
  const reports = Array.isArray(body) ? body : body.items || [];
  section.hidden = false;
  section.replaceChildren(h('h2', {}, 'Evaluations'), await evaluateForm(section, id));
  if (!reports.length) section.append(h('p', {class: 'muted'}, 'No evaluation yet.'));
  for (const r of reports) section.append(report(id, r));
}

async function evaluateForm(section, id) {
  const datasets = await api('datasets', {query: {size: 100}});
  const dataset = h('select', {}, datasets.items.map((d) => h('option', {value: d.id}, `${d.name} (${num(d.rows)} rows)`)));
  const general = h('div', {});
  const form = h('form', {class: 'actions', id: 'evaluate-form', novalidate: true},
    field('datasetId', 'Evaluate on', dataset), h('button', {type: 'submit'}, 'Evaluate'), general);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api(`models/${id}/evaluations`, {method: 'POST', body: {datasetId: dataset.value}});
      await showEvaluations(section, id);
    } catch (err) {
      showProblem(form, err.problem || {detail: err.message}, general);
    }
  });
  return form;
}

function report(id, r) {
  const scores = Object.entries(r.metrics || {}).map(([k, v]) => [k, num(v)]);
  if (r.loss) scores.unshift([r.loss.name, num(r.loss.value)]);
  const perClass = r.classes ? table(['Class', 'Precision', 'Recall', 'F1', 'Support'], [
    ...r.classes.map((c) => [c.name, num(c.precision), num(c.recall), num(c.f1), num(c.support)]),
    ...Object.entries(r.averages || {}).map(([name, a]) => [`${name} average`, num(a.precision), num(a.recall),
      num(a.f1), num(a.support)])]) : null;
  return h('article', {class: 'card evaluation'},
    h('h3', {}, `${r.kind || ''} evaluation on `, r.datasetId ? h('a', {href: `#/datasets/${r.datasetId}`},
      shortId(r.datasetId)) : '—', ` (${r.source || 'dataset'}, ${num(r.rows)} rows, ${time(r.createdAt)})`),
    facts(scores), perClass,
    h('div', {class: 'split'},
      r.confusionMatrix ? plot(`/api/v1/models/${id}/evaluations/${r.id}/confusion-matrix`, 'Confusion matrix') : null,
      r.roc ? plot(`/api/v1/models/${id}/evaluations/${r.id}/roc`, 'ROC curve') : null));
}
