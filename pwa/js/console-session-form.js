// The session's own fields (name, neighbourhood, language, link to a canvassing round's area),
// editable while draft or live.
import { html, useState } from './html.js';
import { t } from './i18n.js';
import { patch } from './api.js';
import { ErrorText, Status } from './components.js';
import { sessionPath } from './console-common.js';
import { RoundLinkFields, linkFields, linkMissingArea, linkRefused } from './console-round-link.js';

const fieldsOf = (session) => ({
  title: session.title || '',
  neighbourhood: session.neighbourhood || '',
  language: session.language || 'nl',
  link: { roundId: session.round_id || '', area: session.round_area || '' },
});

// Only what changed is sent: PATCH leaves absent fields as they are.
export function sessionChanges(saved, draft) {
  const body = {};
  const title = draft.title.trim();
  const neighbourhood = draft.neighbourhood.trim();
  if (title !== saved.title) body.title = title;
  // The server reads `null` here as "unchanged", so an emptied neighbourhood is sent as "".
  if (neighbourhood !== saved.neighbourhood) body.neighbourhood = neighbourhood;
  if (draft.language !== saved.language) body.language = draft.language;
  if (draft.link.roundId !== saved.link.roundId || draft.link.area !== saved.link.area) {
    Object.assign(body, linkFields(draft.link));
  }
  return body;
}

export function SessionDetailsForm({ session, reload, labelledBy }) {
  const [draft, setDraft] = useState(() => fieldsOf(session));
  const [error, setError] = useState('');
  const [linkError, setLinkError] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (field) => (event) => setDraft((d) => ({ ...d, [field]: event.currentTarget.value }));
  const submit = async (event) => {
    event.preventDefault();
    setError('');
    setStatus('');
    setLinkError('');
    if (!draft.title.trim()) {
      setError(t('console.details.title_missing'));
      return;
    }
    if (linkMissingArea(draft.link)) {
      setLinkError(t('rounds.link.area_missing'));
      document.getElementById('details-link-area')?.focus();
      return;
    }
    const body = sessionChanges(fieldsOf(session), draft);
    if (!Object.keys(body).length) {
      setStatus(t('console.details.unchanged'));
      return;
    }
    setBusy(true);
    try {
      setDraft(fieldsOf(await patch(sessionPath(session.id), body)));
      await reload();
      setStatus(t('console.details.saved'));
    } catch (failure) {
      if (linkRefused(failure)) setLinkError(t('rounds.link.refused'));
      else setError(t('console.details.failed', { reason: failure.message }));
    }
    setBusy(false);
  };
  return html`<form class="session-details stack-form" onSubmit=${submit} aria-labelledby=${labelledBy} novalidate>
    <div class="session-details__fields">
      <div class="field">
        <label class="label" for="details-title">${t('console.details.name')}</label>
        <input id="details-title" class="input" type="text" maxlength="300" required aria-required="true"
          value=${draft.title} onInput=${set('title')} />
      </div>
      <div class="field">
        <label class="label" for="details-neighbourhood">${t('console.details.neighbourhood')}</label>
        <input id="details-neighbourhood" class="input" type="text" maxlength="120"
          value=${draft.neighbourhood} onInput=${set('neighbourhood')} />
      </div>
      <div class="field">
        <label class="label" for="details-language">${t('console.details.language')}</label>
        <select id="details-language" class="select" value=${draft.language} aria-describedby="details-language-hint"
          onChange=${set('language')}>
          <option value="nl">${t('language.name.nl')}</option>
          <option value="en">${t('language.name.en')}</option>
        </select>
        <p class="hint" id="details-language-hint">${t('console.details.language_hint')}</p>
      </div>
    </div>
    <${RoundLinkFields} idPrefix="details-link" link=${draft.link} error=${linkError}
      onChange=${(link) => { setDraft((d) => ({ ...d, link })); setLinkError(''); }} />
    <div class="button-row">
      <button type="submit" class="button button--primary" disabled=${busy}>${t('console.details.save')}</button>
    </div>
    <${ErrorText} message=${error} />
    <${Status} message=${status} className="status--saved" />
  </form>`;
}
