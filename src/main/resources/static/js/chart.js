// Curves drawn with uPlot (from its WebJar): one x axis (epoch), any number of named series, TensorBoard's
// smoothing (an exponential moving average, debiased at the start) drawn over the faint raw curve, optional log scale.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';

const css = document.createElement('link');
css.rel = 'stylesheet';
css.href = '/webjars/uplot/dist/uPlot.min.css';
document.head.append(css);

const PALETTE = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7b83', '#57606a'];

export function colour(i) {
  return PALETTE[i % PALETTE.length];
}

/** TensorBoard's smoothing: EMA with weight w, divided by (1 − w^n) so the first points are not pulled to 0. */
export function smooth(values, weight) {
  if (!(weight > 0)) return values;
  const out = new Array(values.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) { out[i] = v; continue; }
    last = last * weight + (1 - weight) * v;
    n++;
    out[i] = last / (1 - Math.pow(weight, n));
  }
  return out;
}

/**
 * A chart in `holder`. `names` are the series (e.g. loss, val_loss); points come as set(xs, {name: values}) or one
 * at a time with append(x, {name: value}), which is what the event stream does while a job runs.
 */
export function curves(holder, {title, names, labels, smoothing = 0, log = false, xLabel = 'epoch'}) {
  const box = document.createElement('div');
  box.className = 'chart';
  box.setAttribute('role', 'img');
  box.setAttribute('aria-label', `${title} by ${xLabel}`);
  box.dataset.x = xLabel;
  holder.append(box);
  let xs = [];
  let cols = Object.fromEntries(names.map((n) => [n, []]));
  let u = null;
  const series = [{label: xLabel}];
  names.forEach((name, i) => {
    const label = (labels && labels[name]) || name;
    if (smoothing > 0) series.push({label: `${label} (raw)`, stroke: colour(i) + '40', width: 1, spanGaps: true});
    series.push({label, stroke: colour(i), width: 2, spanGaps: true});
  });

  function data() {
    const d = [xs];
    for (const name of names) {
      if (smoothing > 0) d.push(cols[name]);
      d.push(smooth(cols[name], smoothing));
    }
    return d;
  }

  function width() {
    return Math.max(260, Math.floor(box.clientWidth || holder.clientWidth || 600));
  }

  function draw() {
    box.dataset.points = String(xs.length);
    if (u) { u.setData(data()); return; }
    if (!xs.length) return;
    u = new uPlot({
      title, width: width(), height: 260, series,
      scales: {x: {time: false}, y: log ? {distr: 3} : {}},
      axes: [{label: xLabel}, {size: 60}],
      legend: {live: false},
    }, data(), box);
  }

  const resize = () => u && u.setSize({width: width(), height: 260});
  window.addEventListener('resize', resize);

  return {
    element: box,
    set(newXs, values) {
      xs = newXs.slice();
      cols = Object.fromEntries(names.map((n) => [n, (values[n] || []).slice()]));
      draw();
    },
    append(x, values) {
      xs.push(x);
      for (const n of names) cols[n].push(values[n] ?? null);
      draw();
    },
    points: () => xs.length,
    destroy() {
      window.removeEventListener('resize', resize);
      if (u) u.destroy();
    },
  };
}

/** Splits metric names into losses and the rest (accuracy…), each with its val_ twin beside it. */
export function groupMetrics(names) {
  const order = [...new Set(names)].sort((a, b) => base(a).localeCompare(base(b)) || a.length - b.length);
  return {
    losses: order.filter((n) => base(n).includes('loss')),
    others: order.filter((n) => !base(n).includes('loss')),
  };
}

function base(name) {
  return name.startsWith('val_') ? name.slice(4) : name;
}
