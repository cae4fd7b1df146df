// New job: a form with every field of the training request. Which fields exist, their allowed values, defaults and
// limits all come from GET /training-jobs/options, so a field or value added to the service shows up here unedited.
// The dry-run estimate refreshes as the form changes; a 400's errors[].field lands beside the field it names.
import {api} from '../api.js';
import {bytes, clearProblems, field, h, num, seconds, showProblem} from '../dom.js';

export async function render(view, {params}) {
  const [options, datasets] = await Promise.all([api('training-jobs/options'),
    api('datasets', {query: {size: 100}})]);
  view.append(h('h1', {}, 'New training job'));
  if (!datasets.items.length) {
    view.append(h('p', {}, 'There is no dataset to train on yet: ', h('a', {href: '#/datasets'}, 'create one'), '.'));
    return;
  }
  const general = h('div', {id: 'form-errors'});
  const estimate = h('section', {id: 'estimate', class: 'card estimate', 'aria-live': 'polite'},
    h('p', {class: 'muted'}, 'The estimate appears here.'));
  const form = h('form', {id: 'job-form', novalidate: true});
  const dataset = h('select', {}, datasets.items.map((d) => h('option', {value: d.id,
    selected: d.id === params.get('dataset')}, `${d.name} (${num(d.rows)} rows)`)));
  form.append(h('fieldset', {}, h('legend', {}, 'Data'), field('datasetId', 'Dataset', dataset)));
  for (const [key, def] of Object.entries(options.defaults)) {
    form.append(section(key, def, options, form));
  }
  const submit = h('button', {type: 'submit', id: 'submit-job'}, 'Start training');
  const dryRun = h('button', {type: 'button', id: 'dry-run', class: 'secondary'}, 'Estimate');
  form.append(general, h('div', {class: 'actions sticky'}, submit, dryRun));
  view.append(h('div', {class: 'form-and-estimate'}, form, estimate));

  let timer = null;
  let asked = 0;
  const estimateNow = async () => {
    const ticket = ++asked;
    try {
      const answer = await api('training-jobs', {method: 'POST', query: {dryRun: true}, body: request(form)});
      if (ticket !== asked) return;
      clearProblems(form);
      general.replaceChildren();
      showEstimate(estimate, answer);
    } catch (e) {
      if (ticket !== asked) return;
      showProblem(form, e.problem || {detail: e.message}, general);
      estimate.replaceChildren(h('h2', {}, 'Estimate'), h('p', {class: 'muted'}, 'Fix the fields marked in red.'));
    }
  };
  form.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(estimateNow, 350); });
  form.addEventListener('change', () => { clearTimeout(timer); timer = setTimeout(estimateNow, 100); });
  dryRun.addEventListener('click', estimateNow);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearTimeout(timer);
    asked++; // a late estimate must not wipe the submit's errors
    submit.disabled = true;
    try {
      const job = await api('training-jobs', {method: 'POST', body: request(form)});
      location.hash = `#/jobs/${job.id}`;
    } catch (err) {
      showProblem(form, err.problem || {detail: err.message}, general);
      const first = form.querySelector('[aria-invalid]');
      if (first) first.focus();
    } finally {
      submit.disabled = false;
    }
  });
  estimateNow();
  return () => clearTimeout(timer);
}

/** One top-level request field: a fieldset for the nested ones, a single input otherwise. */
function section(key, def, options, form) {
  if (key === 'optimizer') return optimizerSection(options, form);
  if (key === 'earlyStopping') return earlyStoppingSection(options);
  if (key === 'loss') return h('fieldset', {}, h('legend', {}, 'Loss'), lossField(options, form));
  if (def && typeof def === 'object' && !Array.isArray(def)) {
    return h('fieldset', {class: 'grid'}, h('legend', {}, title(key)),
      Object.entries(def).map(([k, v]) => input(`${key}.${k}`, v, options)));
  }
  return h('div', {class: 'loose'}, input(key, def, options));
}

function optimizerSection(options, form) {
  const types = options.values['optimizer.type'];
  const defaultType = options.defaults.optimizer.type;
  const type = h('select', {dataset: {path: 'optimizer.type', kind: 'string'}},
    types.map((t) => h('option', {value: t, selected: t === defaultType}, t)));
  const rest = h('div', {class: 'grid'});
  const fill = () => rest.replaceChildren(...Object.entries(options.optimizers[type.value] || {})
    .filter(([k]) => k !== 'type').map(([k, v]) => input(`optimizer.${k}`, v, options)));
  type.addEventListener('change', fill);
  fill();
  return h('fieldset', {}, h('legend', {}, 'Optimizer'), field('optimizer.type', 'type', type), rest);
}

function earlyStoppingSection(options) {
  const on = h('input', {type: 'checkbox', id: 'early-stopping-on'});
  const rest = h('div', {class: 'grid', hidden: true},
    Object.entries(options.earlyStopping).map(([k, v]) => input(`earlyStopping.${k}`, v, options)));
  on.addEventListener('change', () => { rest.hidden = !on.checked; });
  return h('fieldset', {dataset: {field: 'earlyStopping'}}, h('legend', {}, 'Early stopping'),
    h('label', {class: 'check'}, on, ' Stop when the monitored loss stops improving'), rest);
}

/** The loss: left to its default, which follows model.output (the page shows which one that is now). */
function lossField(options, form) {
  const select = h('select', {dataset: {path: 'loss', kind: 'string'}});
  const fill = () => {
    const output = form.elements['model.output'] ? form.elements['model.output'].value : '';
    const chosen = select.value;
    const label = output ? `default for output ${output}: ${options.lossByOutput[output] || '?'}`
      : 'default: follows the output (cross-entropy for sigmoid and softmax, mse for linear)';
    select.replaceChildren(h('option', {value: ''}, label),
      ...options.values.loss.map((l) => h('option', {value: l, selected: l === chosen}, l)));
  };
  form.addEventListener('change', (e) => { if (e.target.name === 'model.output') fill(); });
  fill();
  return field('loss', 'loss', select);
}

/**
 * Fields whose default the service derives from the dataset or the model type: the page offers "the default" as
 * the first choice and then leaves them out of the request, so the service decides (a table with class names gets
 * a softmax or sigmoid output; a linear model keeps its raw units).
 */
const DERIVED = {
  'model.output': 'default: from the labels (sigmoid for two classes, softmax for more, else linear)',
  'model.standardize': 'default: yes for mlp, no for linear',
};

/** An input for one field, by the type of its default: a choice, a check box, a list, a number or text. */
function input(path, def, options) {
  const name = path.split('.').pop();
  const allowed = options.values[path] || (typeof def === 'boolean' && DERIVED[path] ? ['true', 'false'] : null);
  const limit = options.limits[path] || {};
  if (allowed && DERIVED[path]) {
    const kind = typeof def === 'boolean' ? 'choice-boolean' : 'string';
    return field(path, name, h('select', {dataset: {path, kind}},
      [h('option', {value: '', selected: true}, DERIVED[path]), ...allowed.map((v) => h('option', {value: v}, v))]));
  }
  if (allowed) {
    return field(path, name, h('select', {dataset: {path, kind: 'string'}},
      allowed.map((v) => h('option', {value: v, selected: v === def}, v))));
  }
  if (typeof def === 'boolean') {
    const box = h('input', {type: 'checkbox', checked: def, dataset: {path, kind: 'boolean'}});
    box.id = `f-${path.replace(/[^a-zA-Z0-9]/g, '-')}`;
    box.name = path;
    return h('div', {class: 'field', dataset: {field: path}}, h('label', {class: 'check', for: box.id}, box,
      ` ${name}`), h('p', {class: 'hint'}, `default ${def}`));
  }
  if (Array.isArray(def)) {
    const hint = limit.maxItems ? `comma-separated, up to ${limit.maxItems} values of ${limit.min}–${num(limit.max)}`
      : 'comma-separated';
    return field(path, name, h('input', {value: def.join(', '), inputmode: 'numeric',
      dataset: {path, kind: 'list'}}), hint);
  }
  if (typeof def === 'number' || def === null) {
    const hint = [def === null ? (name === 'seed' ? 'default: drawn at random' : 'optional') : `default ${num(def)}`,
      limit.max !== undefined ? `${num(limit.min)}–${num(limit.max)}` : null].filter(Boolean).join(', ');
    return field(path, name, h('input', {type: 'number', step: 'any', inputmode: 'decimal',
      value: def === null ? '' : def, min: limit.min, max: limit.max, dataset: {path, kind: 'number'}}), hint);
  }
  return field(path, name, h('input', {value: def ?? '', dataset: {path, kind: 'string'}}));
}

/** The request from the form: every field that has a value; empty ones are left to the service's defaults. */
function request(form) {
  const body = {datasetId: form.elements.datasetId.value};
  const earlyOn = form.querySelector('#early-stopping-on');
  for (const el of form.querySelectorAll('[data-path]')) {
    const path = el.dataset.path;
    if (path.startsWith('earlyStopping.') && !(earlyOn && earlyOn.checked)) continue;
    const value = read(el);
    if (value === undefined) continue;
    const keys = path.split('.');
    let at = body;
    for (const k of keys.slice(0, -1)) at = at[k] || (at[k] = {});
    at[keys[keys.length - 1]] = value;
  }
  if (earlyOn && earlyOn.checked && !body.earlyStopping) body.earlyStopping = {};
  return body;
}

function read(el) {
  const text = el.value.trim();
  switch (el.dataset.kind) {
    case 'boolean': return el.checked;
    case 'choice-boolean': return text === '' ? undefined : text === 'true';
    case 'list': return text === '' ? [] : text.split(/[\s,]+/).filter(Boolean).map(asNumber);
    case 'number': return text === '' ? undefined : asNumber(text);
    default: return text === '' ? undefined : text;
  }
}

/** A number where the text is one; otherwise the text itself, so the service's 400 names the field. */
function asNumber(text) {
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : text;
}

function title(key) {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

function showEstimate(holder, answer) {
  const e = answer.estimate;
  holder.replaceChildren(h('h2', {}, 'Estimate'),
    h('dl', {class: 'facts'},
      [['Parameters', num(e.parameters)], ['Training rows', num(e.trainingRows)],
        ['Validation rows', num(e.validationRows)], ['Steps per epoch', num(e.stepsPerEpoch)],
        ['Steps', num(e.steps)], ['Work', num(e.work)], ['Memory', bytes(e.memoryBytes)],
        ['Expected time', seconds(e.expectedSeconds)]].map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    answer.withinBudget
      ? h('p', {class: 'ok', id: 'within-budget'}, 'Within the budget.')
      : h('div', {class: 'error', role: 'alert'}, h('p', {}, 'Over the budget:'),
        h('ul', {}, answer.overBudget.map((p) => h('li', {}, p.message)))));
}
