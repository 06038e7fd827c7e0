// The organisation's sessions, and the form that creates a new one (from a template or empty).
import { html, useState, useEffect } from './html.js';
import { t, tn, lang, formatNumber } from './i18n.js';
import { get, post } from './api.js';
import { navigate, onLinkClick } from './router.js';
import { Spinner } from './components.js';
import { StateBadge, useConsoleTitle, formatDate } from './console-common.js';
import { RoundLinkFields, NO_LINK, linkFields, linkMissingArea, linkRefused } from './console-round-link.js';

export function SessionList() {
  const [sessions, setSessions] = useState(null);
  const [error, setError] = useState('');
  const [creating, setCreating] = useState(false);
  useConsoleTitle(t('console.sessions.title'));
  useEffect(() => {
    get('/api/sessions').then(setSessions).catch((failure) => setError(failure.message));
  }, []);
  return html`<div class="console-head">
      <h1>${t('console.sessions.title')}</h1>
      ${creating ? null : html`<button type="button" class="button button--primary" onClick=${() => setCreating(true)}>${t('console.sessions.new')}</button>`}
    </div>
    ${creating ? html`<${NewSessionForm} onCancel=${() => setCreating(false)} />` : null}
    <p class="error-text" role="alert">${error}</p>
    ${sessions === null && !error ? html`<${Spinner} />` : null}
    ${sessions && !sessions.length ? html`<p>${t('console.sessions.empty')}</p>` : null}
    ${sessions && sessions.length ? html`<ul class="session-list">
      ${sessions.map((s) => html`<li class="session-list__item" key=${s.id}>
        <a class="session-list__link" href=${`/console/sessions/${encodeURIComponent(s.id)}`} onClick=${onLinkClick}>${s.title}</a>
        <span class="session-list__meta">
          <${StateBadge} state=${s.state} />
          ${s.neighbourhood ? html`<span>${s.neighbourhood}</span>` : null}
          ${s.round_area ? html`<span>${t('console.sessions.round_area', { area: s.round_area })}</span>` : null}
          ${s.state === 'live' && s.code ? html`<span>${t('console.sessions.code', { code: s.code })}</span>` : null}
          <span>${tn('console.sessions.participants', s.participants ?? 0)}</span>
          <span>${formatDate(s.created_at)}</span>
        </span>
      </li>`)}
    </ul>` : null}`;
}

function NewSessionForm({ onCancel }) {
  const [title, setTitle] = useState('');
  const [neighbourhood, setNeighbourhood] = useState('');
  const [language, setLanguage] = useState(lang.value);
  const [template, setTemplate] = useState('');
  const [templates, setTemplates] = useState(null);
  const [link, setLink] = useState(NO_LINK);
  const [linkError, setLinkError] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setTemplates(null);
    get(`/api/templates?lang=${language}`).then(setTemplates).catch((failure) => setError(failure.message));
  }, [language]);
  const submit = async (event) => {
    event.preventDefault();
    const chosen = templates?.find((tpl) => tpl.slug === template);
    const finalTitle = title.trim() || chosen?.title || '';
    setLinkError(linkMissingArea(link) ? t('rounds.link.area_missing') : '');
    if (!finalTitle) {
      setError(t('console.new.title_missing'));
      return;
    }
    if (linkMissingArea(link)) {
      setError('');
      document.getElementById('new-link-area')?.focus();
      return;
    }
    setBusy(true);
    setError('');
    const body = { title: finalTitle, language };
    if (neighbourhood.trim()) body.neighbourhood = neighbourhood.trim();
    if (template) body.template = template;
    if (link.roundId) Object.assign(body, linkFields(link));
    try {
      const session = await post('/api/sessions', body);
      navigate(`/console/sessions/${encodeURIComponent(session.id)}`);
    } catch (failure) {
      if (linkRefused(failure)) setLinkError(t('rounds.link.refused'));
      else setError(failure.message);
      setBusy(false);
    }
  };
  return html`<form class="panel stack-form" onSubmit=${submit} aria-labelledby="new-session-title" novalidate>
    <h2 id="new-session-title">${t('console.new.title')}</h2>
    <label class="label" for="new-title">${t('console.new.name')}</label>
    <p class="hint" id="new-title-hint">${t('console.new.name_hint')}</p>
    <input id="new-title" class="input" type="text" maxlength="300" value=${title} aria-describedby="new-title-hint"
      onInput=${(e) => setTitle(e.currentTarget.value)} />
    <label class="label" for="new-neighbourhood">${t('console.new.neighbourhood')}</label>
    <input id="new-neighbourhood" class="input" type="text" maxlength="120" value=${neighbourhood}
      onInput=${(e) => setNeighbourhood(e.currentTarget.value)} />
    <${RoundLinkFields} idPrefix="new-link" link=${link} onChange=${(next) => { setLink(next); setLinkError(''); }} error=${linkError} />
    <label class="label" for="new-language">${t('console.new.language')}</label>
    <select id="new-language" class="select" value=${language} onChange=${(e) => setLanguage(e.currentTarget.value)}>
      <option value="nl">${t('language.name.nl')}</option>
      <option value="en">${t('language.name.en')}</option>
    </select>
    <fieldset class="fieldset">
      <legend class="label">${t('console.new.template')}</legend>
      <div class="template-list">
        <label class="template-option">
          <input type="radio" name="template" value="" checked=${template === ''} onChange=${() => setTemplate('')} />
          <span class="template-option__body"><strong>${t('console.new.empty')}</strong>
            <span>${t('console.new.empty_hint')}</span></span>
        </label>
        ${templates === null ? html`<${Spinner} />` : templates.map((tpl) => html`<label class="template-option" key=${tpl.slug}>
          <input type="radio" name="template" value=${tpl.slug} checked=${template === tpl.slug} onChange=${() => setTemplate(tpl.slug)} />
          <span class="template-option__body"><strong>${tpl.title}</strong>
            <span>${tpl.description}</span>
            <span class="template-option__meta">${tn('console.new.prompts', Array.isArray(tpl.prompts) ? tpl.prompts.length : tpl.prompts || 0)}${tpl.duration_minutes ? ` · ${t('console.new.minutes', { n: formatNumber(tpl.duration_minutes) })}` : ''}</span>
          </span>
        </label>`)}
      </div>
    </fieldset>
    <p class="error-text" role="alert">${error}</p>
    <div class="button-row">
      <button type="submit" class="button button--primary" disabled=${busy}>${t('console.new.create')}</button>
      <button type="button" class="button" onClick=${onCancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}
