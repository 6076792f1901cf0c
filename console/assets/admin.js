// The pages over the console's admin API: users (with "sign in as"),
// storage (a bucket's tree by prefix, upload by drop, download, delete, the
// access rules of the path) and functions (logs, test invoke).
'use strict';

// ---- Users ----

const users = { filter: '' };

function attr(user, name) {
  const a = (user.Attributes || []).find((x) => x.Name === name);
  return a ? a.Value : '';
}

// A deployed user pool signs a user in only with their password: the
// console asks for it (unless it set it itself), and for a new one when
// the pool says the password is temporary.
async function signInTokens(user, name) {
  const path = `/api/users/${encodeURIComponent(user.Username)}/sign-in-as`;
  const body = {};
  for (;;) {
    try {
      return await api('POST', path, body);
    } catch (e) {
      const asked = e.message.startsWith('PasswordNeeded') ? ['password', `Password of ${name}`]
        : e.message.startsWith('NewPasswordRequired') ? ['newPassword', `${name} must choose a new password`] : null;
      const answer = asked && prompt(asked[1]);
      if (!answer) throw e;
      body[asked[0]] = answer;
    }
  }
}

async function signInAs(user) {
  const name = attr(user, 'email') || user.Username;
  const out = await signInTokens(user, name);
  addIdentity(`User ${name}`, { type: 'userPool', token: out.tokens.AccessToken });
  if (state.config.data.authModes.includes('iam') && state.config.data.identityPool) {
    state.identities.push({ label: `User ${name} (identity pool)`, identity: { type: 'iam', idToken: out.tokens.IdToken } });
    renderIdentities();
  }
  return name;
}

function userRow(user, groups, reload) {
  const act = (action, body) => attempt(async () => { await api('POST', `/api/users/${encodeURIComponent(user.Username)}/${action}`, body); reload(); });
  const groupPick = el('select', { class: 'group-pick' }, el('option', { value: '' }, 'add to group…'),
    groups.filter((g) => !(user.Groups || []).includes(g.GroupName)).map((g) => el('option', { value: g.GroupName }, g.GroupName)));
  groupPick.addEventListener('change', () => groupPick.value && act('add-to-group', { group: groupPick.value }));
  return el('tr', { 'data-user': attr(user, 'email') || user.Username },
    el('td', {}, el('code', {}, user.Username)), el('td', {}, attr(user, 'email')),
    el('td', { class: 'status' }, user.UserStatus), el('td', { class: 'enabled' }, user.Enabled ? 'enabled' : 'disabled'),
    el('td', { class: 'groups' }, (user.Groups || []).map((g) => el('span', { class: 'chip' }, g, ' ',
      el('button', { title: 'remove from group', onclick: () => act('remove-from-group', { group: g }) }, '×'))), groupPick),
    el('td', { class: 'actions' },
      user.UserStatus === 'UNCONFIRMED' ? el('button', { onclick: () => act('confirm') }, 'Confirm') : null,
      user.Enabled ? el('button', { onclick: () => act('disable') }, 'Disable') : el('button', { onclick: () => act('enable') }, 'Enable'), ' ',
      el('button', { onclick: () => { const p = prompt('New password (the user keeps it)'); if (p) act('password', { password: p, permanent: true }); } }, 'Set password'), ' ',
      !state.config.signInAs ? null : el('button', { class: 'sign-in-as', onclick: () => attempt(async () => { const n = await signInAs(user); reload(`Acting as ${n}`); }) }, 'Sign in as'), ' ',
      el('button', { class: 'danger', onclick: () => confirm(`Delete ${user.Username}?`) && attempt(async () => {
        await api('DELETE', `/api/users/${encodeURIComponent(user.Username)}`); reload();
      }) }, 'Delete')));
}

pages.users = async (root, note) => {
  if (!state.config.userPools.length) {
    fill(root, el('p', { class: 'muted' }, 'This backend has no user pool (define auth to manage users).'));
    return;
  }
  const reload = (n) => attempt(() => pages.users(root, n));
  const [list, groups] = await Promise.all([
    api('GET', '/api/users?filter=' + encodeURIComponent(users.filter)), api('GET', '/api/groups')]);
  const form = el('form', { class: 'inline panel', id: 'new-user' },
    el('h3', {}, 'New user'),
    el('label', {}, 'Username or email ', el('input', { name: 'username', required: true })),
    el('label', {}, 'Password ', el('input', { name: 'password', type: 'text', required: true })),
    el('label', {}, el('input', { name: 'confirmed', type: 'checkbox', checked: true }), ' confirmed at once (else the password is temporary)'),
    el('button', { class: 'primary', type: 'submit' }, 'Create user'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    attempt(async () => {
      await api('POST', '/api/users', { username: form.elements.username.value.trim(), password: form.elements.password.value, confirmed: form.elements.confirmed.checked });
      reload();
    });
  });
  const search = el('input', { id: 'user-search', placeholder: 'search by name or email prefix', value: users.filter });
  search.addEventListener('change', () => { users.filter = search.value; reload(); });
  fill(root,
    el('div', { class: 'toolbar' }, el('h2', { style: 'margin:0' }, 'Users'), el('span', { class: 'muted' }, list.pool), search),
    note ? el('p', { id: 'note' }, note) : null,
    el('table', { id: 'users' },
      el('thead', {}, el('tr', {}, ['Username', 'Email', 'Status', 'Enabled', 'Groups', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, (list.users || []).map((u) => userRow(u, groups.groups || [], reload)))),
    form);
};

// ---- Storage ----

const files = { bucket: null, prefix: '' };

// amplify_outputs' buckets: their friendly names and access paths.
function bucketInfo() {
  const s = state.config.outputs.storage || {};
  const listed = s.buckets || (s.bucket_name ? [{ name: s.bucket_name, bucket_name: s.bucket_name }] : []);
  return state.config.buckets.map((b) => listed.find((x) => x.bucket_name === b) || { name: b, bucket_name: b });
}

// The access rules whose path pattern covers `prefix`.
function rulesFor(info, prefix) {
  return Object.entries(info.paths || {}).filter(([pattern]) => {
    const fixed = pattern.split(/[*{]/)[0];
    return prefix.startsWith(fixed) || fixed.startsWith(prefix);
  });
}

pages.storage = async (root) => {
  const infos = bucketInfo();
  if (!infos.length) {
    fill(root, el('p', { class: 'muted' }, 'This backend has no bucket (define storage to browse files).'));
    return;
  }
  if (!files.bucket || !infos.some((i) => i.bucket_name === files.bucket)) files.bucket = infos[0].bucket_name;
  const info = infos.find((i) => i.bucket_name === files.bucket);
  const reload = () => attempt(() => pages.storage(root));
  const open = (prefix) => { files.prefix = prefix; reload(); };
  const base = `/api/storage/${encodeURIComponent(files.bucket)}`;
  const list = await api('GET', `${base}?prefix=${encodeURIComponent(files.prefix)}`);
  const upload = (fileList) => attempt(async () => {
    for (const file of fileList) await api('PUT', `${base}/object?key=${encodeURIComponent(files.prefix + file.name)}`, undefined, file);
    reload();
  });
  const drop = el('div', { class: 'drop', id: 'drop' }, `Drop files here to upload them to /${files.prefix}, or `,
    el('input', { type: 'file', id: 'upload', multiple: true, onchange: (e) => upload(e.target.files) }));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); upload(e.dataTransfer.files); });
  const parts = files.prefix.split('/').filter(Boolean);
  const crumbs = [el('a', { href: '#storage', onclick: (e) => { e.preventDefault(); open(''); } }, info.name)];
  parts.forEach((p, i) => crumbs.push(' / ', el('a', { href: '#storage', onclick: (e) => { e.preventDefault(); open(parts.slice(0, i + 1).join('/') + '/'); } }, p)));
  const rules = rulesFor(info, files.prefix);
  fill(root,
    el('div', { class: 'toolbar' }, el('h2', { style: 'margin:0' }, 'Storage'),
      el('select', { onchange: (e) => { files.bucket = e.target.value; files.prefix = ''; reload(); } },
        infos.map((i) => el('option', { value: i.bucket_name, selected: i.bucket_name === files.bucket }, `${i.name} (${i.bucket_name})`)))),
    el('p', { id: 'crumbs' }, crumbs),
    el('table', { id: 'objects' },
      el('thead', {}, el('tr', {}, ['Name', 'Size', 'Modified', ''].map((h) => el('th', {}, h)))),
      el('tbody', {},
        list.folders.map((f) => el('tr', {}, el('td', {}, el('a', { href: '#storage', class: 'folder', onclick: (e) => { e.preventDefault(); open(f); } }, f.slice(files.prefix.length))), el('td', {}, ''), el('td', {}, ''), el('td', {}, ''))),
        list.objects.map((o) => el('tr', { 'data-key': o.key },
          el('td', {}, o.key.slice(files.prefix.length)), el('td', {}, `${o.size} B`), el('td', {}, new Date(o.lastModified).toLocaleString()),
          el('td', { class: 'actions' },
            el('a', { href: `${base}/object?key=${encodeURIComponent(o.key)}`, download: '' }, 'Download'), ' ',
            el('button', { class: 'danger', onclick: () => confirm(`Delete ${o.key}?`) && attempt(async () => {
              await api('DELETE', `${base}/object?key=${encodeURIComponent(o.key)}`); reload();
            }) }, 'Delete')))))),
    list.truncated ? el('p', { class: 'muted' }, 'Only the first 1000 entries are shown.') : null,
    drop,
    el('div', { class: 'panel', id: 'rules' }, el('h3', {}, `Access rules for /${files.prefix}`),
      rules.length ? el('table', {}, rules.map(([pattern, who]) => el('tr', {}, el('td', {}, el('code', {}, pattern)),
        el('td', {}, Object.entries(who).map(([k, actions]) => el('span', { class: 'chip' }, `${k}: ${actions.join(', ')}`))))))
        : el('p', { class: 'muted' }, 'No rule of the backend names this path: the app\'s users cannot reach it.')));
};

// ---- Functions ----

// The event typed for each function survives re-renders (switching functions, a reload).
const fns = { name: null, events: {} };

function logLines(lines) {
  return el('pre', { class: 'log' }, lines.length ? lines.map((l) => el('div', { class: l.is_error ? 'err' : '' },
    new Date(l.at_ms).toLocaleTimeString(), ' ', l.text)) : el('span', { class: 'muted' }, 'no lines yet'));
}

pages.functions = async (root) => {
  const list = await api('GET', '/api/functions');
  if (!list.functions.length) {
    fill(root, el('p', { class: 'muted' }, 'This backend has no function that runs locally.'), list.problems.map((p) => el('p', {}, p)));
    return;
  }
  if (!fns.name || !list.functions.some((f) => f.name === fns.name)) fns.name = list.functions[0].name;
  const fn = list.functions.find((f) => f.name === fns.name);
  const logs = await api('GET', `/api/functions/${encodeURIComponent(fn.name)}/logs`);
  const event = el('textarea', { id: 'event', rows: 6, oninput: (e) => { fns.events[fn.name] = e.target.value; } },
    fns.events[fn.name] ?? '{}');
  const result = el('div', { id: 'invoke-result' });
  const invoke = () => attempt(async () => {
    let parsed;
    try { parsed = JSON.parse(event.value || '{}'); } catch (e) { throw new Error('the event is not JSON: ' + e.message); }
    fill(result, el('p', { class: 'muted' }, 'running…'));
    const out = await api('POST', `/api/functions/${encodeURIComponent(fn.name)}/invoke`, { event: parsed });
    fill(result,
      el('h4', {}, out.error ? 'Failed' : 'Result', ` (${out.durationMs} ms)`),
      el('pre', { class: out.error ? 'log err' : '' }, out.error || JSON.stringify(out.result, null, 2)),
      el('h4', {}, 'Log lines of this invocation'), logLines(out.lines));
  });
  fill(root, el('div', { class: 'layout' },
    el('div', { class: 'side' }, el('h3', {}, 'Functions'),
      list.functions.map((f) => el('button', { class: f.name === fn.name ? 'active' : '', onclick: () => { if (f.name !== fns.name) { fns.name = f.name; pages.functions(root); } } }, f.name))),
    el('div', { class: 'grow' },
      el('h2', {}, fn.name), el('p', { class: 'muted' }, `${fn.runtime} · ${fn.handler} · ${fn.timeoutSeconds} s · ${fn.memoryMb} MB`),
      list.problems.map((p) => el('p', { class: 'muted' }, p)),
      el('div', { class: 'panel' }, el('h3', {}, 'Test invoke'), el('label', {}, 'Event (JSON)', event),
        el('button', { class: 'primary', id: 'invoke', onclick: invoke }, 'Invoke'), result),
      el('div', { class: 'panel' }, el('h3', {}, 'Recent log lines'), logLines(logs.lines.slice(-200))))));
};
