// The data manager: for each model of the outputs' model introspection, a
// paged table with a filter, forms generated from the fields (enums as
// choices, required fields enforced, belongs-to links picked from the related
// model's records), links along relationships, and seed data. Every call
// goes through /api/graphql as the chosen identity.
'use strict';

const dm = { model: null, filter: null, pages: [null], page: 0, size: 20, rows: [], related: null };

function introspection() {
  const data = state.config.outputs.data || {};
  return data.model_introspection || { models: {}, enums: {}, nonModels: {} };
}

function modelOf(name) { return introspection().models[name]; }

function typeOf(field) { return typeof field.type === 'string' ? field.type : null; }

function isRelation(field) { return field.type && typeof field.type === 'object' && 'model' in field.type; }

function keyFields(model) {
  const k = model.primaryKeyInfo;
  return [k.primaryKeyFieldName, ...(k.sortKeyFieldNames || [])];
}

// What a query selects of a model: its own fields, custom types one level deep.
function selection(model) {
  const intro = introspection();
  return Object.values(model.fields).filter((f) => !isRelation(f)).map((f) => {
    if (f.type && f.type.nonModel) {
      const inner = intro.nonModels[f.type.nonModel];
      const names = Object.values(inner ? inner.fields : {}).filter((g) => typeof g.type === 'string' || g.type.enum).map((g) => g.name);
      return names.length ? `${f.name} { ${names.join(' ')} }` : '';
    }
    return f.name;
  }).filter(Boolean).join(' ');
}

// The fields a form edits: not read-only, not relationships.
function formFields(model) {
  return Object.values(model.fields).filter((f) => !f.isReadOnly && !isRelation(f));
}

// belongs-to: the related model of each reference field of `model`.
function references(model) {
  const out = {};
  for (const f of Object.values(model.fields)) {
    const a = f.association;
    if (a && a.connectionType === 'BELONGS_TO') for (const t of a.targetNames || []) out[t] = f.type.model;
  }
  return out;
}

function show(value) {
  if (value === null || value === undefined) return el('span', { class: 'muted' }, '—');
  if (typeof value === 'object') return el('code', {}, JSON.stringify(value));
  return String(value);
}

async function listPage(model, filter, token, limit) {
  const q = `query List($limit: Int, $nextToken: String, $filter: Model${model.name}FilterInput) {
  list${model.pluralName}(limit: $limit, nextToken: $nextToken, filter: $filter) { items { ${selection(model)} } nextToken } }`;
  const body = await graphql(q, { limit, nextToken: token, filter }, 'List');
  const list = body.data && body.data['list' + model.pluralName];
  if (!list) throw new Error(errorsOf(body) || 'the list answered nothing');
  if (body.errors) showError(errorsOf(body));
  return list;
}

async function mutate(kind, model, input) {
  const q = `mutation M($input: ${kind}${model.name}Input!) { ${kind.toLowerCase()}${model.name}(input: $input) { ${selection(model)} } }`;
  const body = await graphql(q, { input }, 'M');
  const result = body.data && body.data[kind.toLowerCase() + model.name];
  if (!result) throw new Error(errorsOf(body) || `${kind.toLowerCase()} answered nothing`);
  return result;
}

// Reads a form input back as the field's GraphQL value ('' is "not given").
function valueOf(field, input) {
  if (input.type === 'checkbox') return input.checked;
  const text = input.value.trim();
  if (text === '') return undefined;
  const t = typeOf(field);
  if (field.isArray || (field.type && field.type.nonModel)) return JSON.parse(text);
  if (t === 'Int' || t === 'AWSTimestamp') return parseInt(text, 10);
  if (t === 'Float') return parseFloat(text);
  return text;
}

function inputFor(field, value, choices) {
  const t = typeOf(field);
  const base = { name: field.name, required: field.isRequired && t !== 'Boolean' };
  if (choices) {
    return el('select', base, el('option', { value: '' }, '—'),
      choices.map((c) => el('option', { value: c.value, selected: c.value === value }, c.label)));
  }
  if (field.type && field.type.enum) {
    const values = (introspection().enums[field.type.enum] || { values: [] }).values;
    return el('select', base, el('option', { value: '' }, '—'), values.map((v) => el('option', { value: v, selected: v === value }, v)));
  }
  if (t === 'Boolean') return el('input', { type: 'checkbox', name: field.name, checked: value === true });
  if (field.isArray || (field.type && field.type.nonModel)) {
    return el('textarea', { ...base, rows: 2, placeholder: 'JSON', value: value == null ? '' : JSON.stringify(value) });
  }
  const kinds = { Int: 'number', Float: 'number', AWSTimestamp: 'number', AWSEmail: 'email', AWSURL: 'url' };
  const attrs = { ...base, type: kinds[t] || 'text', value: value == null ? '' : String(value) };
  if (t === 'Float') attrs.step = 'any';
  return el('input', attrs);
}

// Options for a belongs-to reference: the related model's first 100 records.
async function choicesFor(modelName) {
  const related = modelOf(modelName);
  const list = await listPage(related, null, null, 100);
  const label = Object.values(related.fields).find((f) => typeOf(f) === 'String' && !keyFields(related).includes(f.name));
  return list.items.map((r) => ({ value: r[keyFields(related)[0]], label: (label && r[label.name] ? r[label.name] + ' · ' : '') + r[keyFields(related)[0]] }));
}

// The create form (record null) or the edit form of `record`.
async function recordForm(model, record, done) {
  const refs = references(model);
  const keys = keyFields(model);
  const fields = formFields(model).filter((f) => !(record && keys.includes(f.name)) && !(!record && f.name === 'id' && !model.primaryKeyInfo.isCustomPrimaryKey));
  const choices = {};
  for (const f of fields) if (refs[f.name]) choices[f.name] = await choicesFor(refs[f.name]);
  const form = el('form', { class: 'record panel', id: 'record-form' },
    el('h3', {}, record ? `Edit ${model.name} ${record[keys[0]]}` : `New ${model.name}`),
    fields.map((f) => el('label', { class: f.isRequired ? 'required' : '' },
      el('span', {}, f.name + (refs[f.name] ? ` (${refs[f.name]})` : '')), inputFor(f, record && record[f.name], choices[f.name]))),
    el('button', { class: 'primary', type: 'submit' }, record ? 'Save' : 'Create'), ' ',
    el('button', { type: 'button', onclick: done }, 'Cancel'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    attempt(async () => {
      const input = {};
      for (const f of fields) {
        const v = valueOf(f, form.elements[f.name]);
        const before = record ? record[f.name] : undefined;
        if (record && JSON.stringify(v ?? null) === JSON.stringify(before ?? null)) continue;
        if (v !== undefined) input[f.name] = v;
        else if (record && before != null) input[f.name] = null;
      }
      if (record) for (const k of keys) input[k] = record[k];
      await mutate(record ? 'Update' : 'Create', model, input);
      done();
    });
  });
  return form;
}

// Seed values: one per scalar type, varied by `n`.
function seedValue(field, n, refs) {
  if (refs[field.name]) {
    const pool = refs[field.name];
    return pool.length ? pool[n % pool.length] : undefined;
  }
  if (field.type && field.type.enum) {
    const values = introspection().enums[field.type.enum].values;
    return values[n % values.length];
  }
  const t = typeOf(field);
  const now = new Date(Date.now() - n * 60000);
  const one = {
    ID: () => crypto.randomUUID(), String: () => `${field.name} ${n + 1}`, Int: () => n + 1, Float: () => (n + 1) * 1.5,
    Boolean: () => n % 2 === 0, AWSDateTime: () => now.toISOString(), AWSDate: () => now.toISOString().slice(0, 10),
    AWSTime: () => now.toISOString().slice(11, 23) + 'Z', AWSTimestamp: () => Math.floor(now / 1000),
    AWSEmail: () => `user${n + 1}@example.com`, AWSJSON: () => JSON.stringify({ n: n + 1 }),
    AWSURL: () => `https://example.com/${n + 1}`, AWSPhone: () => '+1555555' + String(1000 + n).slice(-4), AWSIPAddress: () => '127.0.0.1',
  }[t];
  if (!one) return undefined;
  return field.isArray ? [one()] : one();
}

async function seed(model, count) {
  const refs = {};
  for (const [name, related] of Object.entries(references(model))) {
    const list = await listPage(modelOf(related), null, null, 100);
    refs[name] = list.items.map((r) => r[keyFields(modelOf(related))[0]]);
    const field = model.fields[name];
    if (!refs[name].length && field && field.isRequired) throw new Error(`seed ${related} first: each ${model.name} needs a ${related} (${name})`);
  }
  const fields = formFields(model).filter((f) => !(f.name === 'id' && !model.primaryKeyInfo.isCustomPrimaryKey) && f.name !== 'owner');
  for (let n = 0; n < count; n++) {
    const input = {};
    for (const f of fields) {
      const v = seedValue(f, n, refs);
      if (v !== undefined) input[f.name] = v;
    }
    await mutate('Create', model, input);
  }
}

function filterBar(model, reload) {
  const names = formFields(model).map((f) => f.name).concat(Object.values(model.fields).filter((f) => f.isReadOnly).map((f) => f.name));
  const field = el('select', { id: 'filter-field' }, names.map((n) => el('option', { value: n }, n)));
  const op = el('select', { id: 'filter-op' }, ['eq', 'ne', 'contains', 'beginsWith', 'gt', 'lt'].map((o) => el('option', { value: o }, o)));
  const value = el('input', { id: 'filter-value', placeholder: 'value' });
  const apply = () => {
    const f = model.fields[field.value];
    let v = value.value;
    if (['Int', 'Float', 'AWSTimestamp'].includes(typeOf(f))) v = Number(v);
    if (typeOf(f) === 'Boolean') v = v === 'true';
    dm.filter = value.value === '' ? null : { [field.value]: { [op.value]: v } };
    dm.pages = [null]; dm.page = 0; reload();
  };
  return [el('span', { class: 'muted' }, 'Filter'), field, op, value, el('button', { onclick: apply }, 'Apply')];
}

async function renderModel(container, model) {
  const keys = keyFields(model);
  const hasMany = Object.values(model.fields).filter((f) => f.association && ['HAS_MANY', 'HAS_ONE'].includes(f.association.connectionType));
  const belongs = Object.values(model.fields).filter((f) => f.association && f.association.connectionType === 'BELONGS_TO');
  const reload = () => attempt(() => renderModel(container, model));
  // A later render (another model, page or identity) wins over a slower earlier one.
  const generation = dm.generation = (dm.generation || 0) + 1;
  const list = await listPage(model, dm.filter, dm.pages[dm.page], dm.size);
  if (generation !== dm.generation) return;
  dm.rows = list.items;
  dm.pages[dm.page + 1] = list.nextToken;
  const columns = Object.values(model.fields).filter((f) => !isRelation(f));
  const seedCount = el('input', { id: 'seed-count', type: 'number', min: 1, value: 20, style: 'width:5em' });
  const formSlot = el('div', { id: 'form-slot' });
  const openForm = async (record) => fill(formSlot, await recordForm(model, record, reload));
  const relatedLinks = (row) => [
    ...hasMany.map((f) => el('button', { class: 'follow', onclick: () => follow(model, f, row) }, f.name + ' →')),
    ...belongs.map((f) => el('button', { class: 'follow', onclick: () => follow(model, f, row) }, f.name + ' →')),
  ];
  const table = el('table', { id: 'records', 'data-model': model.name },
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', {}, c.name)), el('th', {}, ''))),
    el('tbody', {}, list.items.map((row) => el('tr', {},
      columns.map((c) => el('td', {}, show(row[c.name]))),
      el('td', { class: 'actions' },
        el('button', { onclick: () => attempt(() => openForm(row)) }, 'Edit'), ' ',
        el('button', { class: 'danger', onclick: () => attempt(async () => {
          if (!confirm(`Delete ${model.name} ${row[keys[0]]}?`)) return;
          const input = {}; for (const k of keys) input[k] = row[k];
          await mutate('Delete', model, input); reload();
        }) }, 'Delete'), ' ', relatedLinks(row))))));
  const related = dm.related ? el('p', { class: 'muted' }, dm.related, ' ', el('button', { onclick: () => { dm.related = null; dm.filter = null; dm.pages = [null]; dm.page = 0; reload(); } }, 'Show all')) : null;
  fill(container,
    el('div', { class: 'toolbar' },
      el('h2', { style: 'margin:0' }, model.name), el('span', { class: 'muted' }, `list${model.pluralName}`),
      el('button', { class: 'primary', id: 'new-record', onclick: () => attempt(() => openForm(null)) }, `New ${model.name}`),
      el('span', { class: 'muted' }, 'Seed'), seedCount,
      el('button', { id: 'seed', onclick: () => attempt(async () => { await seed(model, Number(seedCount.value) || 1); reload(); }) }, 'Generate')),
    el('div', { class: 'toolbar' }, filterBar(model, reload)),
    related, formSlot, table,
    el('div', { class: 'toolbar' },
      el('button', { disabled: dm.page === 0, onclick: () => { dm.page--; reload(); } }, '← Previous'),
      el('span', { id: 'page-number' }, `page ${dm.page + 1} · ${list.items.length} shown`),
      el('button', { id: 'next-page', disabled: !list.nextToken, onclick: () => { dm.page++; reload(); } }, 'Next →'),
      el('select', { onchange: (e) => { dm.size = Number(e.target.value); dm.pages = [null]; dm.page = 0; reload(); } },
        [10, 20, 50, 100].map((n) => el('option', { value: n, selected: n === dm.size }, `${n} a page`)))),
  );
}

// Follows a relationship of `row`: a has-many shows the related records
// that point back at it; a belongs-to shows the one record it points at.
function follow(model, field, row) {
  const a = field.association;
  const target = field.type.model;
  if (a.connectionType === 'BELONGS_TO') {
    const k = a.targetNames[0];
    const relatedKey = keyFields(modelOf(target))[0];
    dm.filter = { [relatedKey]: { eq: row[k] } };
    dm.related = `${target} that ${model.name} ${row[keyFields(model)[0]]} belongs to`;
  } else {
    const back = a.associatedWith[0];
    dm.filter = { [back]: { eq: row[keyFields(model)[0]] } };
    dm.related = `${target} of ${model.name} ${row[keyFields(model)[0]]}`;
  }
  dm.pages = [null]; dm.page = 0;
  selectModel(target, true);
}

function selectModel(name, keep) {
  dm.model = name;
  if (!keep) { dm.filter = null; dm.related = null; dm.pages = [null]; dm.page = 0; }
  for (const b of document.querySelectorAll('.side button')) b.classList.toggle('active', b.dataset.model === name);
  attempt(() => renderModel(document.getElementById('model'), modelOf(name)));
}

pages.data = async (root) => {
  const names = Object.keys(introspection().models);
  if (!state.config.data.available || !names.length) {
    fill(root, el('p', { class: 'muted' }, 'This backend has no data models (define data to use the data manager).'));
    return;
  }
  fill(root, el('div', { class: 'layout' },
    el('div', { class: 'side' }, el('h3', {}, 'Models'), names.map((n) => el('button', { 'data-model': n, onclick: () => selectModel(n) }, n))),
    el('div', { class: 'grow', id: 'model' })));
  selectModel(dm.model && names.includes(dm.model) ? dm.model : names[0], true);
};
