// The playground: GraphiQL (vendored) over the data API. Queries and
// mutations go through /api/graphql, subscriptions through /api/realtime
// (AppSync's graphql-ws protocol), both as the identity picked in the
// console's header (the parent page's `consoleIdentity`).
'use strict';

function identity() {
  return (window.parent && window.parent.consoleIdentity) ? window.parent.consoleIdentity() : { type: 'none' };
}

// Whether the operation to run is a subscription.
function isSubscription(query, operationName) {
  const ops = [...query.matchAll(/(^|[\s}])(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/g)];
  const op = operationName ? ops.find((m) => m[3] === operationName) : ops[0];
  return Boolean(op && op[2] === 'subscription');
}

// Sends the subscription's `start`. AppSync checks an IAM caller's own
// signature over each subscription, so the console signs it (the page never
// holds the credentials); other identities ride on the handshake's headers.
async function startSubscription(socket, who, params) {
  const data = JSON.stringify({ query: params.query, variables: params.variables || {} });
  const payload = { data };
  if (who.type === 'iam' || who.type === 'admin') {
    const response = await fetch('/api/realtime/sign', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: who, data }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error((body.error && body.error.message) || response.statusText);
    payload.extensions = { authorization: body.authorization };
  }
  socket.send(JSON.stringify({ id: '1', type: 'start', payload }));
}

// A subscription as an async iterator of results, over one WebSocket.
function subscribe(params) {
  const who = identity();
  const url = `ws://${location.host}/api/realtime?identity=${encodeURIComponent(JSON.stringify(who))}`;
  const socket = new WebSocket(url, ['graphql-ws']);
  const queue = [];
  let wake = null;
  let done = false;
  const push = (item) => { queue.push(item); if (wake) { wake(); wake = null; } };
  const finish = () => { done = true; push(null); };
  socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init' }));
  socket.onmessage = (event) => {
    const m = JSON.parse(event.data);
    if (m.type === 'connection_ack') startSubscription(socket, who, params).catch((e) => { push({ errors: [{ message: e.message }] }); finish(); });
    else if (m.type === 'data') push(m.payload);
    else if (m.type === 'error' || m.type === 'connection_error') { push({ errors: (m.payload && m.payload.errors) || [m.payload] }); finish(); }
  };
  socket.onerror = () => { push({ errors: [{ message: 'the realtime connection failed' }] }); finish(); };
  socket.onclose = finish;
  return {
    [Symbol.asyncIterator]() { return this; },
    async next() {
      while (!queue.length) await new Promise((r) => { wake = r; });
      const item = queue.shift();
      if (item === null) return { done: true, value: undefined };
      return { done: false, value: item };
    },
    async return() {
      if (!done && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id: '1', type: 'stop' }));
      socket.close();
      return { done: true, value: undefined };
    },
  };
}

async function fetcher(params) {
  if (isSubscription(params.query || '', params.operationName)) return subscribe(params);
  const response = await fetch('/api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...params, identity: identity() }),
  });
  const body = await response.json();
  return response.ok ? body : { errors: [body.error || { message: response.statusText }] };
}

const defaultQuery = '# Runs as the identity picked in the console\'s header.\n# Ctrl-Enter runs the query.\n';
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: false, shouldPersistHeaders: false }),
);
