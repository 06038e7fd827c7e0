// The note form: one door in under 30 seconds, one thumb, one column. Outcome first; "not home"
// leaves only the optional text. Day and part of day follow the clock unless changed.
import { html, useState, useRef } from './html.js';
import { t } from './i18n.js';
import { ChoiceGroup, ToggleGroup } from './canvass-choice.js';
import {
  OUTCOMES, PARTS_OF_DAY, US_THEM_ABOUT, INCIDENTS, WANTS, LEVELS, MAX_TEXT,
  label, localDay, partOfDay, formatDay, useClock,
} from './canvass-labels.js';

const NONE = 'none'; // the radio value for "no incident" and "trust: n/a" (sent as null)

export function emptyDraft() {
  return { outcome: null, topics: [], concern: null, trust: null, us_them: null, us_them_about: [], incident: NONE, wants_dialogue: null, text: '' };
}

function draftFromNote(note) {
  return {
    ...emptyDraft(),
    outcome: note.outcome,
    topics: note.topics || [],
    concern: note.concern ?? null,
    trust: note.trust ?? null,
    us_them: note.outcome === 'not_home' ? null : Boolean(note.us_them),
    us_them_about: note.us_them_about || [],
    incident: note.incident || NONE,
    wants_dialogue: note.wants_dialogue ?? null,
    text: note.text || '',
  };
}

export function noteFromDraft(draft, { area, day, part, topics }) {
  const text = draft.text.trim() || null;
  const base = { area, day, part_of_day: part, outcome: draft.outcome };
  if (draft.outcome === 'not_home') {
    return { ...base, topics: [], concern: null, trust: null, us_them: false, us_them_about: [], incident: null, wants_dialogue: null, text };
  }
  return {
    ...base,
    topics: topics.filter((topic) => draft.topics.includes(topic)),
    concern: draft.concern,
    trust: draft.trust === NONE ? null : draft.trust,
    us_them: draft.us_them === true,
    us_them_about: draft.us_them === true ? draft.us_them_about : [],
    incident: draft.incident === NONE ? null : draft.incident,
    wants_dialogue: draft.wants_dialogue,
    text,
  };
}

function tomorrow(today) {
  const [y, m, d] = today.split('-').map(Number);
  return localDay(new Date(y, m - 1, d + 1));
}

function WhenField({ day, part, manual, today, onChange, onReset }) {
  return html`<details class="when">
    <summary class="when__summary">
      <span class="when__label">${t('canvass.form.when')}:</span>
      <span class="when__value">${formatDay(day, today)} · ${label('part', part)}</span>
      <span class="when__change">${t('canvass.form.when_change')}</span>
    </summary>
    <div class="when__body">
      <div class="field">
        <label class="label" for="canvass-day">${t('canvass.form.day')}</label>
        <input id="canvass-day" class="input" type="date" value=${day} max=${tomorrow(today)}
          onInput=${(e) => e.currentTarget.value && onChange({ day: e.currentTarget.value })} />
      </div>
      <${ChoiceGroup} id="canvass-part" legend=${t('canvass.form.part')} value=${part}
        options=${PARTS_OF_DAY.map((p) => ({ value: p, label: label('part', p) }))}
        onPick=${(value) => onChange({ part: value })} />
      ${manual ? html`<button type="button" class="button button--quiet" onClick=${onReset}>${t('canvass.form.when_reset')}</button>` : null}
    </div>
  </details>`;
}

function TextField({ value, onInput }) {
  const length = value.length;
  const left = MAX_TEXT - length;
  return html`<div class="field canvass-text">
    <label class="label" for="canvass-text">${t('canvass.form.text')}</label>
    <p class="hint" id="canvass-text-hint">${t('canvass.form.text_hint')}</p>
    <textarea id="canvass-text" class="textarea" rows="3" maxlength=${MAX_TEXT} value=${value}
      aria-describedby="canvass-text-hint canvass-text-count"
      onInput=${(e) => onInput(e.currentTarget.value)}></textarea>
    <p class=${`canvass-counter${left <= 20 ? ' canvass-counter--near' : ''}`} id="canvass-text-count">
      ${t('canvass.form.counter', { n: length, max: MAX_TEXT })}</p>
    <p class="sr-only" aria-live="polite">${left <= 20 ? t('canvass.form.counter_left', { n: left }) : ''}</p>
  </div>`;
}

// round: {id, title, topics}; area: where this note is about; fix: an outbox record to correct.
export function NoteForm({ round, area, areas, fix = null, onSave, onCancel }) {
  const [draft, setDraft] = useState(() => (fix ? draftFromNote(fix.note) : emptyDraft()));
  const [when, setWhen] = useState(() => (fix ? { manual: true, day: fix.note.day, part: fix.note.part_of_day } : { manual: false }));
  const [noteArea, setNoteArea] = useState(fix ? fix.note.area : area);
  const [outcomeError, setOutcomeError] = useState(undefined);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const heading = useRef(null);
  const now = useClock();
  const today = localDay(now);
  const day = when.manual ? when.day : today;
  const part = when.manual ? when.part : partOfDay(now);
  const set = (field) => (value) => setDraft((d) => ({ ...d, [field]: value }));
  const notHome = draft.outcome === 'not_home';
  const topics = round.topics || [];

  const submit = async (event) => {
    event.preventDefault();
    if (!draft.outcome) {
      setOutcomeError(t('canvass.form.missing_outcome'));
      document.getElementById(`canvass-outcome-${OUTCOMES[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setStatus('');
    try {
      await onSave(noteFromDraft(draft, { area: fix ? noteArea : area, day, part, topics }));
      setDraft(emptyDraft());
      setOutcomeError(undefined);
      window.scrollTo(0, 0);
      heading.current?.focus({ preventScroll: true });
      // A fresh text each time, so screen readers announce the second save as well as the first.
      requestAnimationFrame(() => setStatus(t('canvass.form.saved')));
    } catch (_) {
      setStatus(t('canvass.form.save_failed'));
    } finally {
      setBusy(false);
    }
  };

  const levelOptions = LEVELS.map((n) => ({ value: n, label: String(n) }));
  return html`<form class="canvass-form" onSubmit=${submit} novalidate>
    ${fix ? null : html`<h2 class="canvass-form__title" tabindex="-1" ref=${heading}>${t('canvass.form.title')}</h2>`}
    ${fix && areas?.length ? html`<div class="field">
      <label class="label" for="canvass-area">${t('canvass.form.area')}</label>
      <select id="canvass-area" class="select" value=${noteArea} onChange=${(e) => setNoteArea(e.currentTarget.value)}>
        ${(areas.includes(noteArea) ? areas : [noteArea, ...areas]).map((a) => html`<option key=${a} value=${a}>${a}</option>`)}
      </select>
    </div>` : null}
    <${WhenField} day=${day} part=${part} manual=${when.manual} today=${today}
      onChange=${(change) => setWhen({ day, part, ...change, manual: true })}
      onReset=${() => setWhen({ manual: false })} />
    <${ChoiceGroup} id="canvass-outcome" layout="list" legend=${t('canvass.form.outcome')} error=${outcomeError}
      options=${OUTCOMES.map((o) => ({ value: o, label: label('outcome', o) }))} value=${draft.outcome}
      onPick=${(value) => { set('outcome')(value); setOutcomeError(undefined); }} />
    ${notHome ? html`<p class="canvass-form__nothome">${t('canvass.form.not_home_hint')}</p>` : html`
      ${topics.length ? html`<${ToggleGroup} id="canvass-topics" legend=${t('canvass.form.topics')} hint=${t('canvass.form.topics_hint')}
        options=${topics.map((topic) => ({ value: topic, label: label('topic', topic) }))} values=${draft.topics} onChange=${set('topics')} />` : null}
      <${ChoiceGroup} id="canvass-concern" layout="scale" legend=${t('canvass.form.concern')} hint=${t('canvass.form.concern_hint')}
        options=${levelOptions} value=${draft.concern} onPick=${set('concern')} clearable />
      <${ChoiceGroup} id="canvass-trust" layout="scale" legend=${t('canvass.form.trust')} hint=${t('canvass.form.trust_hint')}
        options=${[...levelOptions, { value: NONE, label: t('canvass.form.not_applicable') }]} value=${draft.trust} onPick=${set('trust')} clearable />
      <${ChoiceGroup} id="canvass-usthem" layout="pair" legend=${t('canvass.form.us_them')} hint=${t('canvass.form.us_them_hint')}
        options=${[{ value: true, label: t('canvass.form.yes') }, { value: false, label: t('canvass.form.no') }]}
        value=${draft.us_them} onPick=${set('us_them')} clearable />
      ${draft.us_them === true ? html`<${ToggleGroup} id="canvass-about" legend=${t('canvass.form.us_them_about')}
        options=${US_THEM_ABOUT.map((a) => ({ value: a, label: label('about', a) }))} values=${draft.us_them_about} onChange=${set('us_them_about')} />` : null}
      <${ChoiceGroup} id="canvass-incident" legend=${t('canvass.form.incident')}
        options=${[{ value: NONE, label: t('canvass.form.incident_none') }, ...INCIDENTS.map((i) => ({ value: i, label: label('incident', i) }))]}
        value=${draft.incident} onPick=${(value) => set('incident')(value ?? NONE)} />
      <${ChoiceGroup} id="canvass-wants" layout="pair" legend=${t('canvass.form.wants')}
        options=${WANTS.map((w) => ({ value: w, label: label('wants', w) }))} value=${draft.wants_dialogue} onPick=${set('wants_dialogue')} clearable />
    `}
    <${TextField} value=${draft.text} onInput=${set('text')} />
    <div class="canvass-save">
      <p class="status canvass-save__status" role="status">${status}</p>
      <div class="canvass-save__buttons">
        ${fix ? html`<button type="button" class="button button--quiet" onClick=${onCancel}>${t('canvass.form.fix_cancel')}</button>` : null}
        <button type="submit" class="button button--primary canvass-save__button" disabled=${busy}>${fix ? t('canvass.form.fix_save') : t('canvass.form.save')}</button>
      </div>
    </div>
  </form>`;
}
