// The console's core: the JSON API helper, the identity picker, the pages'
// router (location.hash) and small DOM helpers. Pages register themselves in
// `pages` (data.js, admin.js).
'use strict';

const pages = {};
const state = { config: null, identities: [], identity: 0 };

// el('button', {class: 'x', onclick: f}, 'text', child...): one element.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'value') node.value = v;
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

// Replaces `node`'s children, skipping absent ones (null, undefined, false).
function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

function showError(message) {
  const box = document.getElementById('error');
  box.textContent = message;
  box.hidden = !message;
}

// A call to the console's API; a refused call throws its message.
async function api(method, path, body, raw) {
  const init = { method, headers: {} };
  if (raw !== undefined) {
    init.body = raw;
    init.headers['content-type'] = (raw && raw.type) || 'application/octet-stream';
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let value;
  try { value = text ? JSON.parse(text) : {}; } catch { value = { error: { message: text } }; }
  if (!response.ok) {
    const e = value.error || {};
    throw new Error((e.type ? e.type + ': ' : '') + (e.message || response.statusText));
  }
  return value;
}

// Runs `f`, showing its failure in the error box (and clearing an old one).
async function attempt(f) {
  showError('');
  try { return await f(); } catch (e) { showError(e.message); return undefined; }
}

// The identity data requests run as.
function currentIdentity() {
  return (state.identities[state.identity] || { identity: { type: 'none' } }).identity;
}

// A GraphQL request through the console as the chosen identity; answers
// the API's body ({data, errors}) as it came.
function graphql(query, variables, operationName) {
  return api('POST', '/api/graphql', { query, variables, operationName, identity: currentIdentity() });
}

// The GraphQL errors of a body, as one message, or '' when there are none.
function errorsOf(body) {
  return (body.errors || []).map((e) => (e.errorType ? e.errorType + ': ' : '') + e.message).join('\n');
}

function renderIdentities() {
  const select = document.getElementById('identity');
  select.replaceChildren(...state.identities.map((id, i) => el('option', { value: i }, id.label)));
  select.value = String(state.identity);
}

// Adds (or refreshes) an identity and makes it the current one.
function addIdentity(label, identity) {
  let i = state.identities.findIndex((x) => x.label === label);
  if (i < 0) { state.identities.push({ label, identity }); i = state.identities.length - 1; }
  else state.identities[i].identity = identity;
  state.identity = i;
  renderIdentities();
}

function baseIdentities(config) {
  const ids = [];
  const modes = config.data.authModes;
  // The default, as in Amplify's console: IAM from no identity pool, which
  // Amplify's resolvers let do everything.
  if (modes.includes('iam') && config.data.admin) ids.push({ label: 'Admin (IAM)', identity: { type: 'admin' } });
  if (modes.includes('apiKey') && config.data.apiKey) ids.push({ label: 'API key', identity: { type: 'apiKey' } });
  if (modes.includes('iam') && config.data.identityPool) ids.push({ label: 'Guest (identity pool)', identity: { type: 'iam' } });
  ids.push({ label: 'No credentials', identity: { type: 'none' } });
  return ids;
}

function route() {
  const name = (location.hash || '#data').slice(1);
  const page = pages[name] ? name : 'data';
  for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('active', a.getAttribute('href') === '#' + page);
  const frame = document.getElementById('playground');
  frame.hidden = page !== 'playground';
  // GraphiQL reads the schema once, as the identity of that moment.
  // It is loaded when first shown: GraphiQL is most of the console's bytes.
  if (page === 'playground' && state.frameIdentity !== state.identity) {
    if (state.frameIdentity !== undefined) frame.contentWindow.location.reload();
    else frame.src = 'playground.html';
    state.frameIdentity = state.identity;
  }
  document.getElementById('page').hidden = page === 'playground';
  showError('');
  if (page !== 'playground') attempt(() => pages[page](document.getElementById('page')));
}

// The playground frame asks for the identity (playground.js).
window.consoleIdentity = currentIdentity;

async function start() {
  // The token came in the URL; the server set it as a cookie: drop it from
  // the address bar so it is not shared by accident.
  if (location.search.includes('token=')) history.replaceState(null, '', location.pathname + location.hash);
  state.config = await api('GET', '/api/config');
  state.identities = baseIdentities(state.config);
  renderIdentities();
  document.getElementById('identity').addEventListener('change', (e) => { state.identity = Number(e.target.value); route(); });
  window.addEventListener('hashchange', route);
  route();
  document.body.dataset.ready = 'true';
}

pages.playground = () => {};
window.addEventListener('DOMContentLoaded', () => attempt(start));
