// The form for one prompt, with the fields of its kind; builds a clean PromptIn body.
import { html, useState, useMemo } from './html.js';
import { t } from './i18n.js';

export const PHASES = ['check-in', 'acknowledge', 'order', 'dilemma', 'binds', 'perspective', 'check-out'];
let formIds = 0;

function draftFrom(kind, p = {}) {
  return {
    title: p.title || '', phase: p.phase || '', notes: p.notes || '',
    left: p.left || '', right: p.right || '', bins: p.bins ?? 7,
    min: p.min ?? 1, max: p.max ?? 5, min_label: p.min_label || '', max_label: p.max_label || '',
    options: p.options?.map((o) => ({ ...o })) || (kind === 'choice' ? [{ id: 'a', label: '' }, { id: 'b', label: '' }] : []),
    multi: Boolean(p.multi), max_choices: p.max_choices ?? '',
    categories: p.categories?.map((c) => ({ ...c })) || [], max_cards: p.max_cards ?? 3, moderated: p.moderated ?? true,
    max_words: p.max_words ?? 3,
    statements: p.statements?.map((s) => ({ ...s })) || (kind === 'statements' ? [{ id: 's1', text: '' }] : []),
    resident_statements: Boolean(p.resident_statements),
  };
}

const filled = (items, field) => items.map((i) => ({ id: i.id, [field]: i[field].trim() })).filter((i) => i[field]);
const numberOrNull = (value) => (String(value).trim() === '' ? null : Number(value));

// Returns [body, errorKey]: the PromptIn to send, or the first problem found.
// `initial` is the stored prompt when editing. An optional field left empty is omitted from a
// new prompt (the kind's default); on an edit, emptying a field that had a value sends `null`,
// because PATCH keeps absent fields as they are and only `null` clears one.
export function buildPrompt(kind, d, initial = null) {
  const body = { kind, title: d.title.trim() };
  const optional = (field, value) => {
    if (value !== null && value !== '') body[field] = value;
    else if (initial && initial[field] != null) body[field] = null;
  };
  if (!body.title) return [null, 'console.form.error.title'];
  optional('phase', d.phase);
  optional('notes', d.notes.trim());
  if (kind === 'dilemma') {
    body.left = d.left.trim();
    body.right = d.right.trim();
    optional('bins', numberOrNull(d.bins));
    if (!body.left || !body.right) return [null, 'console.form.error.poles'];
  } else if (kind === 'scale') {
    const min = numberOrNull(d.min);
    const max = numberOrNull(d.max);
    if (!((max ?? 5) > (min ?? 1))) return [null, 'console.form.error.scale'];
    optional('min', min);
    optional('max', max);
    optional('min_label', d.min_label.trim());
    optional('max_label', d.max_label.trim());
  } else if (kind === 'choice') {
    body.options = filled(d.options, 'label');
    body.multi = d.multi;
    if (body.options.length < 2) return [null, 'console.form.error.options'];
    optional('max_choices', d.multi ? numberOrNull(d.max_choices) : null);
  } else if (kind === 'open') {
    body.categories = filled(d.categories, 'label');
    optional('max_cards', numberOrNull(d.max_cards));
    body.moderated = d.moderated;
  } else if (kind === 'words') {
    optional('max_words', numberOrNull(d.max_words));
  } else if (kind === 'statements') {
    body.statements = filled(d.statements, 'text');
    body.resident_statements = d.resident_statements;
    if (!body.statements.length) return [null, 'console.form.error.statements'];
  }
  return [body, null];
}

function nextId(items, prefix) {
  const used = new Set(items.map((i) => i.id));
  let n = items.length + 1;
  while (used.has(`${prefix}${n}`)) n += 1;
  return `${prefix}${n}`;
}

function TextField({ id, label, value, onInput, hint, multiline, maxlength = 200 }) {
  return html`<div class="field">
    <label class="label" for=${id}>${label}</label>
    ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : null}
    ${multiline ? html`<textarea id=${id} class="textarea" rows="4" maxlength=${maxlength} value=${value}
        aria-describedby=${hint ? `${id}-hint` : undefined} onInput=${(e) => onInput(e.currentTarget.value)}></textarea>`
      : html`<input id=${id} class="input" type="text" maxlength=${maxlength} value=${value}
        aria-describedby=${hint ? `${id}-hint` : undefined} onInput=${(e) => onInput(e.currentTarget.value)} />`}
  </div>`;
}

function NumberField({ id, label, value, min, max, onInput }) {
  return html`<div class="field field--number">
    <label class="label" for=${id}>${label}</label>
    <input id=${id} class="input input--number" type="number" inputmode="numeric" min=${min} max=${max} value=${value}
      onInput=${(e) => onInput(e.currentTarget.value)} />
  </div>`;
}

function CheckField({ id, label, checked, onChange }) {
  return html`<div class="field field--check">
    <input id=${id} type="checkbox" checked=${checked} onChange=${(e) => onChange(e.currentTarget.checked)} />
    <label for=${id}>${label}</label>
  </div>`;
}

// An editable list of {id, label|text}: one input per item, add and remove buttons.
function ListField({ id, legend, items, field, prefix, itemLabel, addLabel, onChange, maxlength = 200 }) {
  const update = (index, text) => onChange(items.map((item, i) => (i === index ? { ...item, [field]: text } : item)));
  return html`<fieldset class="fieldset list-field">
    <legend class="label">${legend}</legend>
    <ol class="list-field__items">
      ${items.map((item, index) => html`<li class="list-field__item" key=${item.id}>
        <label class="sr-only" for=${`${id}-${item.id}`}>${itemLabel(index + 1)}</label>
        <input id=${`${id}-${item.id}`} class="input" type="text" maxlength=${maxlength} value=${item[field]}
          onInput=${(e) => update(index, e.currentTarget.value)} />
        <button type="button" class="button button--small" aria-label=${t('console.form.remove_label', { item: itemLabel(index + 1) })}
          onClick=${() => onChange(items.filter((_, i) => i !== index))}>${t('console.form.remove')}</button>
      </li>`)}
    </ol>
    <button type="button" class="button button--small" onClick=${() => onChange([...items, { id: nextId(items, prefix), [field]: '' }])}>${addLabel}</button>
  </fieldset>`;
}

export function PromptForm({ kind, initial, onSave, onCancel }) {
  const [draft, setDraft] = useState(() => draftFrom(kind, initial));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const uid = useMemo(() => `pf${(formIds += 1)}`, []);
  const set = (field) => (value) => setDraft((d) => ({ ...d, [field]: value }));
  const submit = async (event) => {
    event.preventDefault();
    const [body, problem] = buildPrompt(kind, draft, initial || null);
    if (problem) {
      setError(t(problem));
      return;
    }
    setBusy(true);
    setError('');
    try {
      await onSave(body);
    } catch (failure) {
      setError(failure.message);
      setBusy(false);
    }
  };
  return html`<form class="prompt-form stack-form" onSubmit=${submit} aria-labelledby=${`${uid}-heading`} novalidate>
    <h3 id=${`${uid}-heading`}>${initial ? t('console.form.edit', { kind: t(`kind.${kind}`) }) : t('console.form.new', { kind: t(`kind.${kind}`) })}</h3>
    <${TextField} id=${`${uid}-title`} label=${t('console.form.title')} value=${draft.title} onInput=${set('title')} maxlength="300" />
    <div class="field">
      <label class="label" for=${`${uid}-phase`}>${t('console.form.phase')}</label>
      <select id=${`${uid}-phase`} class="select" value=${draft.phase} onChange=${(e) => set('phase')(e.currentTarget.value)}>
        <option value="">${t('console.form.phase.none')}</option>
        ${PHASES.map((p) => html`<option key=${p} value=${p}>${t(`phase.${p}`)}</option>`)}
      </select>
    </div>
    ${kind === 'dilemma' ? html`
      <${TextField} id=${`${uid}-left`} label=${t('console.form.left')} hint=${t('console.form.poles_hint')} value=${draft.left} onInput=${set('left')} />
      <${TextField} id=${`${uid}-right`} label=${t('console.form.right')} value=${draft.right} onInput=${set('right')} />
      <${NumberField} id=${`${uid}-bins`} label=${t('console.form.bins')} min="3" max="21" value=${draft.bins} onInput=${set('bins')} />` : null}
    ${kind === 'scale' ? html`<div class="field-row">
        <${NumberField} id=${`${uid}-min`} label=${t('console.form.min')} min="-10" max="100" value=${draft.min} onInput=${set('min')} />
        <${NumberField} id=${`${uid}-max`} label=${t('console.form.max')} min="-10" max="100" value=${draft.max} onInput=${set('max')} />
      </div>
      <${TextField} id=${`${uid}-min-label`} label=${t('console.form.min_label')} value=${draft.min_label} onInput=${set('min_label')} />
      <${TextField} id=${`${uid}-max-label`} label=${t('console.form.max_label')} value=${draft.max_label} onInput=${set('max_label')} />` : null}
    ${kind === 'choice' ? html`
      <${ListField} id=${`${uid}-options`} legend=${t('console.form.options')} items=${draft.options} field="label" prefix="o"
        itemLabel=${(n) => t('console.form.option', { n })} addLabel=${t('console.form.option_add')} onChange=${set('options')} />
      <${CheckField} id=${`${uid}-multi`} label=${t('console.form.multi')} checked=${draft.multi} onChange=${set('multi')} />
      ${draft.multi ? html`<${NumberField} id=${`${uid}-max-choices`} label=${t('console.form.max_choices')} min="1" max="20"
        value=${draft.max_choices} onInput=${set('max_choices')} />` : null}` : null}
    ${kind === 'open' ? html`
      <${ListField} id=${`${uid}-categories`} legend=${t('console.form.categories')} items=${draft.categories} field="label" prefix="c"
        itemLabel=${(n) => t('console.form.category', { n })} addLabel=${t('console.form.category_add')} onChange=${set('categories')} maxlength="80" />
      <${NumberField} id=${`${uid}-max-cards`} label=${t('console.form.max_cards')} min="1" max="10" value=${draft.max_cards} onInput=${set('max_cards')} />
      <${CheckField} id=${`${uid}-moderated`} label=${t('console.form.moderated')} checked=${draft.moderated} onChange=${set('moderated')} />` : null}
    ${kind === 'words' ? html`<${NumberField} id=${`${uid}-max-words`} label=${t('console.form.max_words')} min="1" max="5"
        value=${draft.max_words} onInput=${set('max_words')} />` : null}
    ${kind === 'statements' ? html`
      <${ListField} id=${`${uid}-statements`} legend=${t('console.form.statements')} items=${draft.statements} field="text" prefix="s"
        itemLabel=${(n) => t('console.form.statement', { n })} addLabel=${t('console.form.statement_add')} onChange=${set('statements')} />
      <${CheckField} id=${`${uid}-resident-statements`} label=${t('console.proposals.allow')}
        checked=${draft.resident_statements} onChange=${set('resident_statements')} />` : null}
    <${TextField} id=${`${uid}-notes`} label=${t('console.form.notes')} hint=${t('console.form.notes_hint')} value=${draft.notes}
      onInput=${set('notes')} multiline maxlength="4000" />
    <p class="error-text" role="alert">${error}</p>
    <div class="button-row">
      <button type="submit" class="button button--primary" disabled=${busy}>${t('console.form.save')}</button>
      <button type="button" class="button" onClick=${onCancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}
