// The router: #/datasets, #/datasets/{id}, #/jobs/new, #/jobs/{id}, #/jobs (list and compare), #/models,
// #/models/{id}. Each view is its own module, loaded when first shown: render(main, params) draws it from API data
// and may return a function that stops what it started (an event stream, say).
import {forgetKey} from './api.js';
import {h} from './dom.js';

const routes = [
  [/^#\/datasets\/([^/?]+)$/, 'datasets.js', 'detail', 'datasets'],
  [/^#\/datasets$/, 'datasets.js', 'list', 'datasets'],
  [/^#\/jobs\/new$/, 'jobform.js', 'render', 'new'],
  [/^#\/jobs\/([^/?]+)$/, 'job.js', 'render', 'jobs'],
  [/^#\/jobs$/, 'compare.js', 'render', 'jobs'],
  [/^#\/models\/([^/?]+)$/, 'models.js', 'detail', 'models'],
  [/^#\/models$/, 'models.js', 'list', 'models'],
];

const main = document.getElementById('view');
let stop = null;
let shown = 0;

async function show() {
  const [path, search] = (location.hash || '#/datasets').split('?');
  const params = new URLSearchParams(search || '');
  const route = routes.find(([re]) => re.test(path));
  if (!route) { location.replace('#/datasets'); return; }
  const [re, file, fn, nav] = route;
  if (stop) { stop(); stop = null; }
  document.querySelectorAll('[data-nav]').forEach((a) =>
    a.toggleAttribute('aria-current', a.dataset.nav === nav));
  const ticket = ++shown;
  try {
    const view = await import(`./views/${file}`);
    const fragment = document.createElement('div');
    fragment.className = 'view';
    main.replaceChildren(fragment);
    const cleanup = await view[fn](fragment, {id: path.match(re)[1], params});
    if (ticket !== shown) { if (cleanup) cleanup(); return; }
    stop = cleanup || null;
    main.dataset.view = `${file}:${fn}`;
    performance.mark('tapeflow:view-ready');
  } catch (e) {
    if (ticket === shown) main.replaceChildren(h('p', {class: 'error', role: 'alert'}, e.message || String(e)));
  }
}

window.addEventListener('hashchange', show);
document.getElementById('forget-key').addEventListener('click', () => { forgetKey(); show(); });
document.getElementById('forget-key').hidden = !sessionStorage.getItem('tapeflow.apiKey');
show();
