// Answer inputs per prompt kind. Each form sends through `respond(value)`; whether an
// answer is stored is shown only after the server's ack (the `entry` for its outbox key).
import { html, useState, useEffect, useMemo } from './html.js';
import { t, tn, has } from './i18n.js';
import { errorMessage } from './api.js';
import { uuid } from './ids.js';
import { answerKey, proposerFor } from './resident-room.js';

const OPEN_MAX_CHARS = 280;
const WORD_MAX_CHARS = 25;
const PROPOSAL_MAX_CHARS = 200;
const PROPOSALS_MAX = 3; // per resident and prompt, as the server counts them

function statusText(entry) {
  if (!entry) return '';
  if (entry.state === 'saved') return t('resident.answer.saved');
  if (entry.state === 'sending') return t('resident.answer.sending');
  if (entry.state === 'queued') return t('resident.answer.queued');
  return entry.message || t('error.unknown');
}

function AnswerStatus({ entry }) {
  const tone = entry ? `answer-status--${entry.state}` : '';
  return html`<p class=${`answer-status ${tone}`} role="status">${statusText(entry)}</p>`;
}

export function AnswerForm({ prompt, mine, answers, respond }) {
  const props = { prompt, mine, answers, respond, entry: answers[prompt.id] };
  switch (prompt.kind) {
    case 'dilemma': return html`<${DilemmaForm} key=${prompt.id} ...${props} />`;
    case 'scale': return html`<${ScaleForm} key=${prompt.id} ...${props} />`;
    case 'choice': return html`<${ChoiceForm} key=${prompt.id} ...${props} />`;
    case 'open': return html`<${OpenForm} key=${prompt.id} ...${props} />`;
    case 'words': return html`<${WordsForm} key=${prompt.id} ...${props} />`;
    case 'statements': return html`<${StatementsForm} key=${prompt.id} ...${props} />`;
    default: return html`<p>${t('resident.kind.unknown')}</p>`;
  }
}

// Keeps the form's own value, but takes the stored answer when it arrives before a touch.
function useAnswer(mine, fallback, accept) {
  const [value, setValue] = useState(accept(mine) ? mine : fallback);
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (!touched && accept(mine)) setValue(mine);
  }, [JSON.stringify(mine)]);
  return [value, (next) => { setTouched(true); setValue(next); }];
}

function SendButton({ disabled }) {
  return html`<button type="submit" class="button button--primary button--wide" disabled=${disabled}>${t('resident.answer.send')}</button>`;
}

export function dilemmaValueText(value, prompt) {
  if (value < 40) return t('resident.dilemma.valuetext.left', { value, pole: prompt.left });
  if (value > 60) return t('resident.dilemma.valuetext.right', { value, pole: prompt.right });
  return t('resident.dilemma.valuetext.middle', { value });
}

function DilemmaForm({ prompt, mine, entry, respond }) {
  const [value, setValue] = useAnswer(mine, 50, (v) => typeof v === 'number');
  const id = `dilemma-${prompt.id}`;
  return html`<form class="answer answer--dilemma" onSubmit=${(e) => { e.preventDefault(); respond(value); }}>
    <h2 class="prompt-title" id=${`${id}-title`}>${prompt.title}</h2>
    <p class="hint">${t('resident.dilemma.hint')}</p>
    <div class="poles poles--input">
      <span class="poles__left" id=${`${id}-left`}>${prompt.left}</span>
      <span class="poles__right" id=${`${id}-right`}>${prompt.right}</span>
    </div>
    <input type="range" class="slider" id=${id} min="0" max="100" step="1" value=${value}
      aria-labelledby=${`${id}-title`} aria-describedby=${`${id}-left ${id}-right ${id}-middle`}
      aria-valuetext=${dilemmaValueText(value, prompt)}
      onInput=${(e) => setValue(Number(e.currentTarget.value))} />
    <div class="slider-middle"><span class="slider-middle__mark" aria-hidden="true"></span>
      <span id=${`${id}-middle`}>${t('resident.dilemma.middle')}</span></div>
    <p class="slider-value" aria-hidden="true">${dilemmaValueText(value, prompt)}</p>
    <${SendButton} />
    <${AnswerStatus} entry=${entry} />
  </form>`;
}

function ScaleForm({ prompt, mine, entry, respond }) {
  const [value, setValue] = useAnswer(mine, null, (v) => typeof v === 'number');
  const min = prompt.min ?? 1;
  const max = prompt.max ?? 5;
  const values = [];
  for (let v = min; v <= max; v += 1) values.push(v);
  const name = `scale-${prompt.id}`;
  return html`<form class="answer answer--scale" onSubmit=${(e) => { e.preventDefault(); if (value !== null) respond(value); }}>
    <fieldset class="fieldset">
      <legend><h2 class="prompt-title">${prompt.title}</h2></legend>
      ${(prompt.min_label || prompt.max_label) ? html`<div class="scale-ends" aria-hidden="true">
        <span>${min}: ${prompt.min_label || ''}</span><span>${max}: ${prompt.max_label || ''}</span>
      </div>` : null}
      <div class=${`scale-options${values.length > 7 ? ' scale-options--many' : ''}`}>
        ${values.map((v) => html`<label class="scale-option" key=${v}>
          <input type="radio" name=${name} value=${v} checked=${value === v} onChange=${() => setValue(v)} />
          <span class="scale-option__face">${v}</span>
          ${v === min && prompt.min_label ? html`<span class="sr-only">${prompt.min_label}</span>` : null}
          ${v === max && prompt.max_label ? html`<span class="sr-only">${prompt.max_label}</span>` : null}
        </label>`)}
      </div>
    </fieldset>
    <${SendButton} disabled=${value === null} />
    <${AnswerStatus} entry=${entry} />
  </form>`;
}

function ChoiceForm({ prompt, mine, entry, respond }) {
  const multi = Boolean(prompt.multi);
  const limit = multi ? prompt.max_choices || (prompt.options || []).length : 1;
  const [value, setValue] = useAnswer(mine, multi ? [] : null, (v) => (multi ? Array.isArray(v) : typeof v === 'string'));
  const chosen = multi ? value : value ? [value] : [];
  const full = multi && chosen.length >= limit;
  const toggle = (id, checked) => {
    if (!multi) return setValue(id);
    setValue(checked ? [...chosen, id] : chosen.filter((c) => c !== id));
  };
  const hintId = `choice-hint-${prompt.id}`;
  return html`<form class="answer answer--choice" onSubmit=${(e) => { e.preventDefault(); if (chosen.length) respond(multi ? chosen : value); }}>
    <fieldset class="fieldset" aria-describedby=${hintId}>
      <legend><h2 class="prompt-title">${prompt.title}</h2></legend>
      <p class="hint" id=${hintId}>${multi ? tn('resident.choice.max', limit) : t('resident.choice.one')}</p>
      <div class="choice-options">
        ${(prompt.options || []).map((option) => {
          const checked = chosen.includes(option.id);
          return html`<label class="choice-option" key=${option.id}>
            <input type=${multi ? 'checkbox' : 'radio'} name=${`choice-${prompt.id}`} value=${option.id}
              checked=${checked} disabled=${!checked && full}
              onChange=${(e) => toggle(option.id, e.currentTarget.checked)} />
            <span>${option.label}</span>
          </label>`;
        })}
      </div>
    </fieldset>
    <${SendButton} disabled=${!chosen.length} />
    <${AnswerStatus} entry=${entry} />
  </form>`;
}

function cardStatusText(status) {
  if (status === 'approved') return t('resident.open.status.approved');
  if (status === 'hidden') return t('resident.open.status.hidden');
  if (status === 'queued') return t('resident.open.status.queued');
  if (status === 'sending') return t('resident.open.status.sending');
  if (status === 'error') return t('resident.open.status.error');
  return t('resident.open.status.pending');
}

function OpenForm({ prompt, mine, answers, respond }) {
  const [text, setText] = useState('');
  const [category, setCategory] = useState('');
  const [lastKey, setLastKey] = useState(null);
  const stored = Array.isArray(mine) ? mine : [];
  const storedIds = new Set(stored.map((c) => c.id));
  const unsent = Object.entries(answers)
    .filter(([key, entry]) => key.startsWith(`${prompt.id}:card:`) && entry.state !== 'saved' && !storedIds.has(entry.value.id))
    .map(([, entry]) => ({ ...entry.value, status: entry.state }));
  const cards = [...stored, ...unsent];
  const maxCards = prompt.max_cards ?? 3;
  const full = cards.filter((c) => c.status !== 'error').length >= maxCards;
  const id = `open-${prompt.id}`;
  const trimmed = text.trim();
  const submit = (e) => {
    e.preventDefault();
    if (!trimmed || full) return;
    const value = { id: uuid(), text: trimmed };
    if (category) value.category = category;
    setLastKey(answerKey(prompt, value));
    respond(value);
    setText('');
  };
  return html`<div class="answer answer--open">
    <h2 class="prompt-title" id=${`${id}-title`}>${prompt.title}</h2>
    ${full ? html`<p class="hint">${tn('resident.open.full', maxCards)}</p>` : html`<form class="stack-form" onSubmit=${submit}>
      <label class="label" for=${`${id}-text`}>${t('resident.open.label')}</label>
      <textarea id=${`${id}-text`} class="textarea" rows="4" maxlength=${OPEN_MAX_CHARS} value=${text}
        aria-describedby=${`${id}-count`} onInput=${(e) => setText(e.currentTarget.value)}></textarea>
      <p class="hint" id=${`${id}-count`}>${t('resident.open.count', { count: text.length, max: OPEN_MAX_CHARS })}</p>
      ${prompt.categories?.length ? html`<label class="label" for=${`${id}-category`}>${t('resident.open.category')}</label>
        <select id=${`${id}-category`} class="select" value=${category} onChange=${(e) => setCategory(e.currentTarget.value)}>
          <option value="">${t('resident.open.category.none')}</option>
          ${prompt.categories.map((c) => html`<option key=${c.id} value=${c.id}>${c.label}</option>`)}
        </select>` : null}
      <p class="hint">${tn('resident.open.remaining', maxCards - cards.length)}</p>
      <${SendButton} disabled=${!trimmed} />
    </form>`}
    <${AnswerStatus} entry=${lastKey ? answers[lastKey] : null} />
    ${cards.length ? html`<section class="my-cards" aria-labelledby=${`${id}-mine`}>
      <h3 id=${`${id}-mine`}>${t('resident.open.mine')}</h3>
      <ul class="my-cards__list">
        ${cards.map((card) => html`<li class="card-note" key=${card.id}>
          <span class="card-note__text">${card.text}</span>
          <span class=${`badge badge--${card.status}`}>${cardStatusText(card.status)}</span>
        </li>`)}
      </ul>
    </section>` : null}
  </div>`;
}

function WordsForm({ prompt, mine, entry, respond }) {
  const count = Math.max(1, prompt.max_words ?? 3);
  const [words, setWords] = useAnswer(mine, [], Array.isArray);
  const filled = Array.from({ length: count }, (_, i) => words[i] || '');
  const cleaned = filled.map((w) => w.trim()).filter(Boolean);
  const id = `words-${prompt.id}`;
  const setWord = (i, text) => {
    const next = [...filled];
    next[i] = text;
    setWords(next);
  };
  return html`<form class="answer answer--words" onSubmit=${(e) => { e.preventDefault(); if (cleaned.length) respond(cleaned); }}>
    <fieldset class="fieldset">
      <legend><h2 class="prompt-title">${prompt.title}</h2></legend>
      <p class="hint">${tn('resident.words.hint', count)}</p>
      ${filled.map((word, i) => html`<div class="field" key=${i}>
        <label class="label" for=${`${id}-${i}`}>${t('resident.words.label', { n: i + 1 })}</label>
        <input class="input" id=${`${id}-${i}`} type="text" maxlength=${WORD_MAX_CHARS} value=${word}
          autocomplete="off" autocapitalize="none" onInput=${(e) => setWord(i, e.currentTarget.value)} />
      </div>`)}
    </fieldset>
    <${SendButton} disabled=${!cleaned.length} />
    <${AnswerStatus} entry=${entry} />
  </form>`;
}

const VOTES = ['agree', 'disagree', 'pass'];

function StatementsForm({ prompt, mine, answers, respond }) {
  const votes = mine && typeof mine === 'object' && !Array.isArray(mine) ? mine : {};
  const id = `statements-${prompt.id}`;
  const statements = useMemo(() => prompt.statements || [], [prompt]);
  const proposer = prompt.resident_statements && prompt.state === 'open' ? proposerFor(respond) : null;
  return html`<div class="answer answer--statements">
    <h2 class="prompt-title">${prompt.title}</h2>
    <p class="hint">${t('resident.statements.hint')}</p>
    <ul class="statement-list">
      ${statements.map((s) => {
        const entry = answers[`${prompt.id}:${s.id}`];
        const current = entry && entry.state !== 'error' ? entry.value.vote : votes[s.id];
        return html`<li class="statement" key=${s.id}>
          <p class="statement__text" id=${`${id}-${s.id}`}>${s.text}</p>
          <div class="statement__votes" role="group" aria-labelledby=${`${id}-${s.id}`}>
            ${VOTES.map((vote) => html`<button type="button" key=${vote}
              class=${`button vote vote--${vote}`} aria-pressed=${current === vote ? 'true' : 'false'}
              onClick=${() => respond({ statement_id: s.id, vote })}>${t(`vote.${vote}`)}</button>`)}
          </div>
          <${AnswerStatus} entry=${entry} />
        </li>`;
      })}
    </ul>
    ${proposer ? html`<${ProposeForm} prompt=${prompt} proposer=${proposer} />` : null}
  </div>`;
}

function proposalStatusText(status) {
  if (status === 'approved') return t('resident.propose.status.approved');
  if (status === 'hidden') return t('resident.propose.status.hidden');
  return t('resident.propose.status.pending');
}

// The sentence for a refused proposal: worded for statements where the code has one.
function proposalError(last) {
  const key = `resident.propose.error.${last.code}`;
  return has(key) ? t(key) : errorMessage(last.code, last.message);
}

// A resident proposes a statement of their own (prompt with `resident_statements`); it is
// pending until the facilitator approves it, then it appears in the list above for everyone.
function ProposeForm({ prompt, proposer }) {
  const [text, setText] = useState('');
  const [empty, setEmpty] = useState(false);
  const id = `propose-${prompt.id}`;
  const last = proposer.proposal.value?.prompt_id === prompt.id ? proposer.proposal.value : null;
  const mine = proposer.proposals.value.filter((p) => p.prompt_id === prompt.id);
  const full = mine.length >= PROPOSALS_MAX;
  useEffect(() => {
    if (last?.state === 'sent' && text.trim() === last.text) setText('');
  }, [last]);
  const submit = (e) => {
    e.preventDefault();
    if (!text.trim()) {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    proposer.propose(text);
  };
  let error = '';
  if (empty) error = t('resident.propose.empty');
  else if (last?.state === 'error') error = proposalError(last);
  let status = '';
  if (last?.state === 'sending') status = t('resident.propose.sending');
  else if (last?.state === 'sent') status = t('resident.propose.sent');
  const invalid = empty || (last?.state === 'error' && last.code === 'invalid_value');
  const describedBy = `${id}-intro ${id}-count${error ? ` ${id}-error` : ''}`;
  return html`<section class="propose" aria-labelledby=${`${id}-title`}>
    <h3 class="propose__title" id=${`${id}-title`}>${t('resident.propose.title')}</h3>
    ${full ? html`<p class="hint">${tn('resident.propose.full', PROPOSALS_MAX)}</p>` : html`<form class="stack-form" onSubmit=${submit} novalidate>
      <p class="hint" id=${`${id}-intro`}>${t('resident.propose.intro')}</p>
      <label class="label" for=${`${id}-text`}>${t('resident.propose.label')}</label>
      <textarea id=${`${id}-text`} class="textarea" rows="3" maxlength=${PROPOSAL_MAX_CHARS} value=${text}
        aria-describedby=${describedBy} aria-invalid=${invalid ? 'true' : 'false'}
        onInput=${(e) => { setText(e.currentTarget.value); setEmpty(false); }}></textarea>
      <p class="hint" id=${`${id}-count`}>${t('resident.propose.count', { count: text.length, max: PROPOSAL_MAX_CHARS })}</p>
      <button type="submit" class="button button--wide" aria-disabled=${last?.state === 'sending' ? 'true' : 'false'}>${t('resident.propose.send')}</button>
    </form>`}
    <p class="error-text" id=${`${id}-error`} role="alert">${error}</p>
    <p class=${`answer-status${last?.state === 'sent' ? ' answer-status--saved' : ''}`} role="status">${status}</p>
    ${mine.length ? html`<section class="my-cards my-proposals" aria-labelledby=${`${id}-mine`}>
      <h4 id=${`${id}-mine`}>${t('resident.propose.mine')}</h4>
      <ul class="my-cards__list">
        ${mine.map((p) => html`<li class="card-note" key=${p.id}>
          <span class="card-note__text">${p.text}</span>
          <span class=${`badge badge--${p.status}`}>${proposalStatusText(p.status)}</span>
        </li>`)}
      </ul>
    </section>` : null}
  </section>`;
}
