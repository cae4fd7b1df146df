// One job: state, progress, ETA, and its loss and metric curves. The curves start from GET /metrics (the epochs so
// far, so a reload mid-run loses nothing) and then gain a point per progress event of GET /events while it runs;
// the stream reads the database, so it works whichever replica runs the job. Once finished, /metrics again.
import {api, events} from '../api.js';
import {facts, h, num, seconds, shortId, time} from '../dom.js';
import {curves, groupMetrics} from '../chart.js';

export async function render(view, {id}) {
  const stopper = new AbortController();
  let job = await api(`training-jobs/${id}`);
  const head = header(id);
  const charts = h('div', {class: 'charts'});
  const note = h('p', {class: 'muted', id: 'stream-note'});
  view.append(h('p', {class: 'crumbs'}, h('a', {href: '#/jobs'}, 'Jobs'), ' / '),
    h('h1', {}, `Job ${shortId(id)}`), head.element, h('h2', {}, 'Curves'), note, charts,
    h('details', {}, h('summary', {}, 'Request (every default filled in)'),
      h('pre', {}, JSON.stringify(job.request, null, 2))));

  let plots = null;
  let lastEpoch = 0;
  let known = [];
  let shown = [];
  const drawAll = (epochs) => {
    shown = epochs.slice();
    if (plots) plots.forEach((p) => p.destroy());
    charts.replaceChildren();
    const names = [...new Set(epochs.flatMap((e) => Object.keys(e.metrics)))];
    if (!names.length && job.latest) names.push(...Object.keys(job.latest));
    if (!names.length) names.push('loss');
    known = names;
    const {losses, others} = groupMetrics(names);
    plots = [losses, others].filter((g) => g.length).map((g, i) =>
      curves(charts, {title: i === 0 ? 'Loss' : 'Metrics', names: g}));
    const xs = epochs.map((e) => e.epoch);
    plots.forEach((p, i) => {
      const g = i === 0 ? losses : others;
      p.set(xs, Object.fromEntries(g.map((n) => [n, epochs.map((e) => e.metrics[n] ?? null)])));
    });
    lastEpoch = xs.length ? xs[xs.length - 1] : 0;
    charts.dataset.points = String(xs.length);
  };
  const appendPoint = (j) => {
    const epoch = j.progress && j.progress.epoch;
    if (!j.latest || !epoch || epoch <= lastEpoch) return;
    lastEpoch = epoch;
    if (Object.keys(j.latest).some((k) => !known.includes(k))) {
      drawAll([...shown, {epoch, metrics: j.latest}]); // the first point names the metrics this job reports
      return;
    }
    shown.push({epoch, metrics: j.latest});
    plots.forEach((p) => p.append(epoch, j.latest));
    charts.dataset.points = String(shown.length);
  };
  const update = (j) => {
    job = j;
    head.update(j);
  };

  update(job);
  drawAll((await api(`training-jobs/${id}/metrics`)).epochs);
  if (!finished(job)) follow();
  return () => { stopper.abort(); if (plots) plots.forEach((p) => p.destroy()); };

  async function follow() {
    note.textContent = 'Live: following the event stream.';
    while (!stopper.signal.aborted && !finished(job)) {
      try {
        await events(`training-jobs/${id}/events`, (name, data) => {
          const j = JSON.parse(data);
          update(j);
          if (name === 'progress') appendPoint(j);
        }, stopper.signal);
      } catch (e) {
        if (stopper.signal.aborted) return;
        note.textContent = `The event stream broke (${e.message}); reconnecting…`;
        await new Promise((r) => setTimeout(r, 1000));
      }
      if (!finished(job)) update(await api(`training-jobs/${id}`)); // the stream ended early: a replica stopped
    }
    if (stopper.signal.aborted) return;
    note.textContent = 'Finished: every epoch, from /metrics.';
    drawAll((await api(`training-jobs/${id}/metrics`)).epochs);
  }
}

function finished(job) {
  return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.state);
}

/** The job's head, built once and updated in place, so that focus and a pending click survive each event. */
function header(id) {
  const state = h('span', {class: 'state', id: 'job-state'});
  const model = h('a', {class: 'button', id: 'model-link', hidden: true}, 'Open the model');
  const cancel = h('button', {type: 'button', class: 'danger', id: 'cancel-job', hidden: true}, 'Cancel');
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      await api(`training-jobs/${id}/cancel`, {method: 'POST'});
      cancel.textContent = 'Cancel requested';
    } catch (err) {
      cancel.textContent = err.message;
    }
  });
  const bar = h('progress', {max: 1, value: 0, id: 'job-progress', 'aria-label': 'Progress'});
  const text = h('span', {id: 'progress-text'});
  const error = h('p', {class: 'error', role: 'alert', hidden: true});
  const details = h('div', {});
  const element = h('div', {class: 'job-head'}, h('p', {class: 'actions'}, state, model, cancel),
    h('div', {class: 'progress'}, bar, text), error, details);
  return {
    element,
    update(job) {
      const p = job.progress || {epoch: 0, epochs: job.request.epochs, fraction: 0};
      const running = !finished(job);
      state.textContent = job.state;
      state.className = `state state-${job.state}`;
      model.hidden = !job.modelId;
      if (job.modelId) model.href = `#/models/${job.modelId}`;
      cancel.hidden = !running;
      if (job.cancelRequestedAt && !cancel.disabled) { cancel.disabled = true; cancel.textContent = 'Cancel requested'; }
      bar.value = p.fraction;
      text.textContent = `epoch ${p.epoch} / ${p.epochs} · ${Math.round(p.fraction * 100)} %`
        + (running && job.etaSeconds != null ? ` · ETA ${seconds(job.etaSeconds)}` : '')
        + (p.stepsPerSecond ? ` · ${num(Math.round(p.stepsPerSecond))} steps/s` : '');
      error.hidden = !job.error;
      if (job.error) {
        error.textContent = `${job.error.code}: ${job.error.message}${job.error.epoch ? ` (epoch ${job.error.epoch})` : ''}`;
      }
      details.replaceChildren(facts([
        ['Dataset', h('a', {href: `#/datasets/${job.datasetId}`}, shortId(job.datasetId))],
        ['Latest', job.latest ? h('span', {id: 'latest'}, Object.entries(job.latest).map(([k, v]) =>
          `${k} ${num(v)}`).join(' · ')) : '—'],
        ['Created', time(job.createdAt)], ['Started', time(job.startedAt)], ['Finished', time(job.finishedAt)],
        ['Attempts', `${job.attempts} of ${job.maxAttempts}`]]));
    },
  };
}
