// The form that creates a canvassing round or edits one: title, areas, topics, dates.
// Errors are shown next to their field; the server's reasons become Dutch/English sentences.
import { html, useState, useEffect } from './html.js';
import { t, tn } from './i18n.js';
import { post, patch } from './api.js';
import { ErrorText } from './components.js';
import { TOPICS, roundPath, topicLabel } from './console-round-common.js';

const MAX_AREAS = 200;
const MAX_AREA_LENGTH = 80;
const MAX_TOPICS = 40;
const MAX_TOPIC_LENGTH = 60;
const PERSONAL_KINDS = ['address', 'postcode', 'phone', 'email', 'bsn', 'iban', 'name'];

const lines = (text) => text.split('\n').map((line) => line.trim()).filter(Boolean);
const words = (text) => text.split(/[,\n]/).map((word) => word.trim()).filter(Boolean);

function fieldsOf(round) {
  if (!round) return { title: '', areas: '', fixed: [...TOPICS], own: '', starts: '', ends: '' };
  return {
    title: round.title,
    areas: round.areas.join('\n'),
    fixed: TOPICS.filter((topic) => round.topics.includes(topic)),
    own: round.topics.filter((topic) => !TOPICS.includes(topic)).join('\n'),
    starts: round.starts_on || '',
    ends: round.ends_on || '',
  };
}

function firstTwice(values) {
  const seen = new Set();
  for (const value of values) {
    const folded = value.toLocaleLowerCase();
    if (seen.has(folded)) return value;
    seen.add(folded);
  }
  return null;
}

const AREA_ERRORS = {
  none: 'rounds.form.error.no_areas', many: 'rounds.form.error.many_areas',
  long: 'rounds.form.error.long_area', twice: 'rounds.form.error.area_twice',
};
const TOPIC_ERRORS = {
  none: 'rounds.form.error.no_topics', many: 'rounds.form.error.many_topics',
  long: 'rounds.form.error.long_topic', twice: 'rounds.form.error.topic_twice',
};

function listError(values, keys, max, maxLength) {
  if (!values.length) return t(keys.none);
  if (values.length > max) return t(keys.many, { max });
  const long = values.find((value) => value.length > maxLength);
  if (long) return t(keys.long, { value: long, max: maxLength });
  const twice = firstTwice(values);
  return twice ? t(keys.twice, { value: twice }) : '';
}

// The checks the server makes too, so most mistakes are explained before anything is sent.
function check(draft) {
  const areas = lines(draft.areas);
  const topics = [...draft.fixed, ...words(draft.own)];
  const errors = {
    title: draft.title.trim() ? '' : t('rounds.form.error.title'),
    areas: listError(areas, AREA_ERRORS, MAX_AREAS, MAX_AREA_LENGTH),
    topics: listError(topics, TOPIC_ERRORS, MAX_TOPICS, MAX_TOPIC_LENGTH),
    ends: draft.starts && draft.ends && draft.ends < draft.starts ? t('rounds.form.error.dates') : '',
  };
  return { errors, areas, topics, ok: !Object.values(errors).some(Boolean) };
}

// The area the server most likely refused: the first line with digits, an @ or a title.
const guessPersonal = (areas) => areas.find((area) => /\d|@|\b(meneer|mevrouw|dhr|mevr|mw)\b/i.test(area));

// The server's 422 reasons are English and stable (server/samenspraak/canvass.py); each becomes
// a sentence next to its field. Anything else is shown above the buttons.
export function serverErrors(failure, areas) {
  const reason = failure.extra?.reason || '';
  if (failure.code === 'in_use') {
    return failure.extra?.field === 'topics'
      ? { topics: t('rounds.form.error.topic_in_use') }
      : { areas: t('rounds.form.error.area_in_use') };
  }
  if (failure.code === 'wrong_state') return { form: t('rounds.form.error.closed') };
  if (failure.code !== 'invalid_value') return { form: failure.message };
  // The server says which area and which kind of personal data (extra.field/index/kind);
  // older servers only said it in the English reason.
  const extra = failure.extra || {};
  const personal = extra.field === 'areas' && extra.kind
    ? [null, extra.kind]
    : /personal data \((\w+)\)/.exec(reason);
  if (personal) {
    const kind = t(`rounds.form.kind.${PERSONAL_KINDS.includes(personal[1]) ? personal[1] : 'other'}`);
    const area = (Number.isInteger(extra.index) && areas[extra.index]) || guessPersonal(areas);
    return {
      areas: area ? t('rounds.form.error.area_personal', { area, kind }) : t('rounds.form.error.area_personal_any', { kind }),
    };
  }
  if (/^area .* appears twice$/.test(reason)) return { areas: t('rounds.form.error.area_twice_server') };
  if (/^an empty area$/.test(reason)) return { areas: t('rounds.form.error.no_areas') };
  if (/^topic .* appears twice$/.test(reason)) return { topics: t('rounds.form.error.topic_twice_server') };
  if (/^an empty topic$/.test(reason)) return { topics: t('rounds.form.error.no_topics') };
  if (/^an empty title$/.test(reason)) return { title: t('rounds.form.error.title') };
  if (/^ends_on is before starts_on$/.test(reason)) return { ends: t('rounds.form.error.dates') };
  if (/^starts_on must be a date/.test(reason)) return { starts: t('rounds.form.error.date_format') };
  if (/^ends_on must be a date/.test(reason)) return { ends: t('rounds.form.error.date_format') };
  return { form: t('rounds.form.error.refused', { reason: reason || failure.message }) };
}

// PATCH leaves absent fields as they are, so only what changed is sent.
function changes(round, title, areas, topics, draft) {
  const body = {};
  const same = (a, b) => a.length === b.length && a.every((value, i) => value === b[i]);
  if (title !== round.title) body.title = title;
  if (!same(areas, round.areas)) body.areas = areas;
  if (!same([...topics].sort(), [...round.topics].sort())) body.topics = topics;
  if (draft.starts !== (round.starts_on || '')) body.starts_on = draft.starts || null;
  if (draft.ends !== (round.ends_on || '')) body.ends_on = draft.ends || null;
  return body;
}

const FIELD_IDS = { title: 'round-title', areas: 'round-areas', topics: 'round-topic-safety', starts: 'round-starts', ends: 'round-ends' };

export function RoundForm({ round = null, onSaved, onCancel }) {
  const editing = Boolean(round);
  const [draft, setDraft] = useState(() => fieldsOf(round));
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const set = (field) => (event) => setDraft((d) => ({ ...d, [field]: event.currentTarget.value }));
  const toggle = (topic) => (event) => {
    const on = event.currentTarget.checked;
    setDraft((d) => ({ ...d, fixed: TOPICS.filter((x) => (x === topic ? on : d.fixed.includes(x))) }));
  };
  const setAll = (on) => setDraft((d) => ({ ...d, fixed: on ? [...TOPICS] : [] }));
  useEffect(() => {
    document.getElementById('round-title')?.focus();
  }, []);
  useEffect(() => {
    // Take the keyboard to the first field that needs attention.
    const first = Object.keys(FIELD_IDS).find((field) => errors[field]);
    if (first) document.getElementById(FIELD_IDS[first])?.focus();
  }, [errors]);
  const submit = async (event) => {
    event.preventDefault();
    const found = check(draft);
    setErrors(found.errors);
    if (!found.ok) return;
    const title = draft.title.trim();
    let body;
    if (editing) {
      body = changes(round, title, found.areas, found.topics, draft);
      if (!Object.keys(body).length) {
        onSaved(round, t('rounds.form.unchanged'));
        return;
      }
    } else {
      body = { title, areas: found.areas, topics: found.topics };
      if (draft.starts) body.starts_on = draft.starts;
      if (draft.ends) body.ends_on = draft.ends;
    }
    setBusy(true);
    try {
      const saved = editing ? await patch(roundPath(round.id), body) : await post('/api/rounds', body);
      setBusy(false);
      onSaved(saved, t(editing ? 'rounds.form.saved' : 'rounds.form.created', { title: saved.title }));
    } catch (failure) {
      setBusy(false);
      setErrors(serverErrors(failure, found.areas));
    }
  };
  const invalid = (field) => (errors[field] ? 'true' : undefined);
  const described = (field, hint) => [hint, errors[field] ? `${FIELD_IDS[field]}-error` : null].filter(Boolean).join(' ') || undefined;
  const heading = editing ? 'round-form-edit-title' : 'round-form-new-title';
  return html`<form class="panel stack-form round-form" onSubmit=${submit} aria-labelledby=${heading} novalidate>
    <h2 id=${heading}>${t(editing ? 'rounds.form.edit_title' : 'rounds.form.new_title')}</h2>
    <div class="field">
      <label class="label" for="round-title">${t('rounds.form.name')}</label>
      <p class="hint" id="round-title-hint">${t('rounds.form.name_hint')}</p>
      <input id="round-title" class="input" type="text" maxlength="300" required aria-required="true" value=${draft.title}
        aria-invalid=${invalid('title')} aria-describedby=${described('title', 'round-title-hint')} onInput=${set('title')} />
      <${ErrorText} id="round-title-error" message=${errors.title} />
    </div>
    <div class="field">
      <label class="label" for="round-areas">${t('rounds.form.areas')}</label>
      <p class="hint" id="round-areas-hint">${t(editing ? 'rounds.form.areas_hint_edit' : 'rounds.form.areas_hint')}</p>
      <textarea id="round-areas" class="textarea" rows="5" required aria-required="true" value=${draft.areas}
        aria-invalid=${invalid('areas')} aria-describedby=${described('areas', 'round-areas-hint')} onInput=${set('areas')}></textarea>
      <p class="hint round-form__count">${tn('rounds.form.area_count', lines(draft.areas).length)}</p>
      <${ErrorText} id="round-areas-error" message=${errors.areas} />
    </div>
    <fieldset class="fieldset field" aria-describedby=${described('topics', 'round-topics-hint')}>
      <legend class="label">${t('rounds.form.topics')}</legend>
      <p class="hint" id="round-topics-hint">${t(editing ? 'rounds.form.topics_hint_edit' : 'rounds.form.topics_hint')}</p>
      <div class="button-row">
        <button type="button" class="button button--small" onClick=${() => setAll(true)}>${t('rounds.form.topics_all')}</button>
        <button type="button" class="button button--small" onClick=${() => setAll(false)}>${t('rounds.form.topics_none')}</button>
      </div>
      <div class="topic-grid">
        ${TOPICS.map((topic) => html`<label class="topic-option" key=${topic}>
          <input type="checkbox" id=${`round-topic-${topic}`} checked=${draft.fixed.includes(topic)} onChange=${toggle(topic)} />
          <span>${topicLabel(topic)}</span>
        </label>`)}
      </div>
      <label class="label" for="round-own-topics">${t('rounds.form.own_topics')}</label>
      <p class="hint" id="round-own-topics-hint">${t('rounds.form.own_topics_hint')}</p>
      <textarea id="round-own-topics" class="textarea" rows="2" value=${draft.own} aria-describedby="round-own-topics-hint"
        onInput=${set('own')}></textarea>
      <${ErrorText} id="round-topic-safety-error" message=${errors.topics} />
    </fieldset>
    <fieldset class="fieldset field">
      <legend class="label">${t('rounds.form.dates')}</legend>
      <p class="hint" id="round-dates-hint">${t('rounds.form.dates_hint')}</p>
      <div class="field-row">
        <div class="field round-form__date">
          <label class="label" for="round-starts">${t('rounds.form.starts')}</label>
          <input id="round-starts" class="input" type="date" value=${draft.starts} aria-invalid=${invalid('starts')}
            aria-describedby=${described('starts', 'round-dates-hint')} onInput=${set('starts')} />
          <${ErrorText} id="round-starts-error" message=${errors.starts} />
        </div>
        <div class="field round-form__date">
          <label class="label" for="round-ends">${t('rounds.form.ends')}</label>
          <input id="round-ends" class="input" type="date" value=${draft.ends} aria-invalid=${invalid('ends')}
            aria-describedby=${described('ends', 'round-dates-hint')} onInput=${set('ends')} />
          <${ErrorText} id="round-ends-error" message=${errors.ends} />
        </div>
      </div>
    </fieldset>
    <${ErrorText} message=${errors.form} />
    <div class="button-row">
      <button type="submit" class="button button--primary" disabled=${busy}>${t(editing ? 'rounds.form.save' : 'rounds.form.create')}</button>
      <button type="button" class="button" onClick=${onCancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}
