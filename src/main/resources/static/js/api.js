// The one way the page talks to the service: fetch() on the public JSON API, with the API key (when the service
// asks for one) in X-API-Key on every call, the event stream included. The key never goes into a URL.

const KEY = 'tapeflow.apiKey';
export const API = '/api/v1';

/** An answer that was not 2xx: its status and its RFC 9457 problem body (or a stand-in with a detail). */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let asking = null;

/** Asks for a key once, however many calls hit the 401 at the same time. */
function askForKey(wrong) {
  if (!asking) {
    asking = new Promise((resolve) => {
      const dialog = document.getElementById('key-dialog');
      const input = document.getElementById('key-input');
      const error = document.getElementById('key-error');
      error.hidden = !wrong;
      error.textContent = wrong ? 'That key was refused; try another one.' : '';
      input.value = '';
      dialog.addEventListener('close', () => {
        const key = input.value.trim();
        if (key) sessionStorage.setItem(KEY, key);
        document.getElementById('forget-key').hidden = !key;
        asking = null;
        resolve(key);
      }, {once: true});
      dialog.showModal();
      input.focus();
    });
  }
  return asking;
}

export function forgetKey() {
  sessionStorage.removeItem(KEY);
  document.getElementById('forget-key').hidden = true;
}

function withKey(headers) {
  const key = sessionStorage.getItem(KEY);
  return key ? {...headers, 'X-API-Key': key} : headers;
}

/** fetch() with the key; a 401 asks for a key (again, if the one kept was refused) and retries. */
export async function send(path, init = {}) {
  for (let attempt = 0; ; attempt++) {
    const had = sessionStorage.getItem(KEY);
    const response = await fetch(path.startsWith('/') ? path : `${API}/${path}`,
      {...init, headers: withKey(init.headers || {})});
    if (response.status !== 401 || attempt >= 3) return response;
    if (had) sessionStorage.removeItem(KEY);
    if (!(await askForKey(Boolean(had)))) return response;
  }
}

async function problemOf(response) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return {status: response.status, title: response.statusText, detail: text.slice(0, 300)};
  }
}

/** JSON in, JSON out; throws ApiError with the problem body unless 2xx. */
export async function api(path, {method = 'GET', body, query} = {}) {
  const qs = query ? `?${new URLSearchParams(query)}` : '';
  const init = {method, headers: {Accept: 'application/json'}};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await send(path + qs, init);
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.status === 204 ? null : response.json();
}

/** A raw body (a CSV upload, say) with its content type. */
export async function upload(path, body, contentType, query) {
  const response = await send(`${path}?${new URLSearchParams(query)}`,
    {method: 'POST', headers: {'Content-Type': contentType, Accept: 'application/json'}, body});
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.json();
}

/** A Blob (an SVG plot, an export): fetched with the key, so an <img> or a link gets an object URL instead. */
export async function blob(path) {
  const response = await send(path);
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.blob();
}

/** An <img> of an SVG the API draws; its object URL is released once it has loaded. */
export function plot(path, alt) {
  const img = document.createElement('img');
  img.alt = alt;
  img.className = 'plot';
  blob(path).then((b) => {
    img.src = URL.createObjectURL(b);
    img.addEventListener('load', () => URL.revokeObjectURL(img.src), {once: true});
    img.dataset.loaded = 'true';
  }, (e) => img.replaceWith(Object.assign(document.createElement('p'), {className: 'error', textContent: e.message})));
  return img;
}

/**
 * Reads a Server-Sent Events stream with fetch() (EventSource cannot send a header) and calls onEvent(name, data)
 * per event. Resolves when the stream ends; an AbortSignal stops it.
 */
export async function events(path, onEvent, signal) {
  const response = await send(path, {headers: {Accept: 'text/event-stream'}, signal});
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    buffer += value;
    let m;
    while ((m = /\r?\n\r?\n/.exec(buffer))) {
      const block = buffer.slice(0, m.index);
      buffer = buffer.slice(m.index + m[0].length);
      dispatch(block, onEvent);
    }
  }
}

function dispatch(block, onEvent) {
  let name = 'message';
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const key = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (key === 'event') name = value;
    else if (key === 'data') data.push(value);
  }
  if (data.length) onEvent(name, data.join('\n'));
}
