// Jobs and Compare: the recent jobs, and the curves of the ones ticked on one chart, with TensorBoard's smoothing
// over the faint raw curves, a log scale, and the ticked jobs' metrics as a CSV download.
import {api} from '../api.js';
import {download, h, num, seconds, shortId, time} from '../dom.js';
import {curves} from '../chart.js';

export async function render(view, {params}) {
  const page = await api('training-jobs', {query: {size: 50}});
  const ticked = new Set((params.get('ids') || '').split(',').filter(Boolean));
  if (!ticked.size) page.items.filter((j) => j.state === 'SUCCEEDED').slice(0, 2).forEach((j) => ticked.add(j.id));
  const metrics = new Map(); // job id → its epochs, fetched once
  const chartBox = h('div', {id: 'compare-chart'});
  const metric = h('select', {id: 'compare-metric'});
  const smoothing = h('input', {type: 'range', min: 0, max: 0.99, step: 0.01, value: 0.6, id: 'smoothing'});
  const smoothingText = h('output', {for: 'smoothing'}, '0.6');
  const log = h('input', {type: 'checkbox', id: 'log-scale'});
  const axis = h('select', {id: 'x-axis'}, h('option', {value: 'epoch'}, 'epoch'),
    h('option', {value: 'time'}, 'training time (s)'));
  const csv = h('button', {type: 'button', id: 'download-csv', class: 'secondary'}, 'Download CSV');
  let chart = null;

  view.append(h('h1', {}, 'Jobs'),
    page.items.length ? table(page.items, ticked, () => redraw()) : h('p', {class: 'muted'},
      'No jobs yet: ', h('a', {href: '#/jobs/new'}, 'start one'), '.'),
    h('h2', {}, 'Compare'),
    h('div', {class: 'controls'},
      h('label', {for: 'compare-metric'}, 'Metric '), metric,
      h('label', {for: 'x-axis'}, 'x axis '), axis,
      h('label', {for: 'smoothing'}, 'Smoothing '), smoothing, smoothingText,
      h('label', {class: 'check', for: 'log-scale'}, log, ' log scale'), csv),
    chartBox);

  async function redraw() {
    const ids = page.items.filter((j) => ticked.has(j.id)).map((j) => j.id);
    await Promise.all(ids.filter((id) => !metrics.has(id)).map(async (id) =>
      metrics.set(id, (await api(`training-jobs/${id}/metrics`)).epochs)));
    const names = [...new Set(ids.flatMap((id) => metrics.get(id).flatMap((e) => Object.keys(e.metrics))))].sort();
    const chosen = names.includes(metric.value) ? metric.value : (names.includes('loss') ? 'loss' : names[0]);
    metric.replaceChildren(...names.map((n) => h('option', {value: n, selected: n === chosen}, n)));
    smoothingText.textContent = smoothing.value;
    if (chart) chart.destroy();
    chartBox.replaceChildren();
    if (!ids.length || !chosen) {
      chartBox.append(h('p', {class: 'muted'}, 'Tick one or more jobs above to see their curves.'));
      return;
    }
    // x per epoch: its number, or the training time up to its end (TensorBoard's "relative" axis)
    const position = new Map(ids.map((id) => {
      let t = 0;
      return [id, metrics.get(id).map((e) => (axis.value === 'time' ? Number((t += e.seconds).toFixed(6)) : e.epoch))];
    }));
    const xs = [...new Set(ids.flatMap((id) => position.get(id)))].sort((a, b) => a - b);
    const at = new Map(xs.map((x, i) => [x, i]));
    const values = {};
    for (const id of ids) {
      const column = new Array(xs.length).fill(null);
      metrics.get(id).forEach((e, i) => { column[at.get(position.get(id)[i])] = e.metrics[chosen] ?? null; });
      values[id] = column;
    }
    chart = curves(chartBox, {title: chosen, names: ids, labels: Object.fromEntries(ids.map((id) =>
      [id, `job ${shortId(id)}`])), smoothing: Number(smoothing.value), log: log.checked,
    xLabel: axis.value === 'time' ? 'training time (s)' : 'epoch'});
    chart.set(xs, values);
  }

  metric.addEventListener('change', redraw);
  smoothing.addEventListener('input', redraw);
  log.addEventListener('change', redraw);
  axis.addEventListener('change', redraw);
  csv.addEventListener('click', () => {
    const ids = page.items.filter((j) => ticked.has(j.id)).map((j) => j.id);
    const names = [...new Set(ids.flatMap((id) => (metrics.get(id) || []).flatMap((e) => Object.keys(e.metrics))))];
    const lines = [['job', 'epoch', 'seconds', ...names].join(',')];
    for (const id of ids) {
      for (const e of metrics.get(id) || []) {
        lines.push([id, e.epoch, e.seconds, ...names.map((n) => e.metrics[n] ?? '')].join(','));
      }
    }
    download(new Blob([lines.join('\n') + '\n'], {type: 'text/csv'}), 'tapeflow-metrics.csv');
  });
  await redraw();
  return () => { if (chart) chart.destroy(); };
}

function table(jobs, ticked, changed) {
  return h('div', {class: 'scroll'}, h('table', {id: 'jobs'},
    h('thead', {}, h('tr', {}, ['Compare', 'Job', 'State', 'Progress', 'Latest', 'Created', 'Model']
      .map((x) => h('th', {scope: 'col'}, x)))),
    h('tbody', {}, jobs.map((j) => {
      const box = h('input', {type: 'checkbox', checked: ticked.has(j.id), 'aria-label': `Compare job ${shortId(j.id)}`,
        dataset: {job: j.id}});
      box.addEventListener('change', () => { if (box.checked) ticked.add(j.id); else ticked.delete(j.id); changed(); });
      const p = j.progress;
      return h('tr', {},
        h('td', {}, box), h('td', {}, h('a', {href: `#/jobs/${j.id}`}, shortId(j.id))),
        h('td', {}, h('span', {class: `state state-${j.state}`}, j.state)),
        h('td', {}, p ? `${p.epoch}/${p.epochs}` : '—', j.etaSeconds ? ` · ETA ${seconds(j.etaSeconds)}` : ''),
        h('td', {}, j.latest ? Object.entries(j.latest).map(([k, v]) => `${k} ${num(v)}`).join(' · ') : '—'),
        h('td', {}, time(j.createdAt)),
        h('td', {}, j.modelId ? h('a', {href: `#/models/${j.modelId}`}, shortId(j.modelId)) : '—'));
    }))));
}
