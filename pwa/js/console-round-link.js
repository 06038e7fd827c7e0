// "Link to a canvassing round": pick an open round, then one of its areas (both or neither),
// so a session's results can be read beside the door-to-door notes of the same area.
import { html, useState, useEffect } from './html.js';
import { t } from './i18n.js';
import { get } from './api.js';
import { onLinkClick } from './router.js';
import { ErrorText } from './components.js';

export const NO_LINK = { roundId: '', area: '' };

// The link as PATCH/POST fields; `null` unlinks.
export function linkFields(link) {
  return link.roundId ? { round_id: link.roundId, round_area: link.area } : { round_id: null };
}

export const linkMissingArea = (link) => Boolean(link.roundId && !link.area);

// The server's 422 reasons for a bad link (unknown round, area not in the round, one without the other).
export const linkRefused = (failure) => failure.code === 'invalid_value' && /round/.test(failure.extra?.reason || '');

// Its error lines exist only while there is an error: the session forms around it have their own.
export function RoundLinkFields({ idPrefix, link, onChange, error }) {
  const [rounds, setRounds] = useState(null);
  const [loadError, setLoadError] = useState('');
  useEffect(() => {
    get('/api/rounds').then(setRounds).catch((failure) => setLoadError(failure.message));
  }, []);
  // Only open rounds are offered; a link to a round that closed since stays visible.
  const offered = (rounds || []).filter((round) => round.state === 'open' || round.id === link.roundId);
  const chosen = offered.find((round) => round.id === link.roundId);
  const pickRound = (event) => {
    const round = offered.find((r) => r.id === event.currentTarget.value);
    onChange({ roundId: round ? round.id : '', area: round && round.areas.length === 1 ? round.areas[0] : '' });
  };
  const roundId = `${idPrefix}-round`;
  const areaId = `${idPrefix}-area`;
  const errorId = `${idPrefix}-link-error`;
  return html`<fieldset class="fieldset round-link">
    <legend class="label">${t('rounds.link.legend')}</legend>
    <p class="hint" id=${`${idPrefix}-link-hint`}>${t('rounds.link.hint')}</p>
    ${loadError ? html`<${ErrorText} message=${loadError} />` : null}
    ${rounds && !offered.length ? html`<p>${t('rounds.link.none')}
      ${' '}<a href="/console/rounds" onClick=${onLinkClick}>${t('rounds.link.make')}</a></p>` : null}
    ${offered.length ? html`<div class="round-link__fields">
      <div class="field">
        <label class="label" for=${roundId}>${t('rounds.link.round')}</label>
        <select id=${roundId} class="select" value=${link.roundId} onChange=${pickRound}
          aria-describedby=${`${idPrefix}-link-hint`}>
          <option value="">${t('rounds.link.no_round')}</option>
          ${offered.map((round) => html`<option key=${round.id} value=${round.id}>${round.state === 'open'
            ? round.title : t('rounds.link.closed_round', { title: round.title })}</option>`)}
        </select>
      </div>
      <div class="field">
        <label class="label" for=${areaId}>${t('rounds.link.area')}</label>
        <select id=${areaId} class="select" value=${link.area} disabled=${!chosen}
          aria-invalid=${error ? 'true' : undefined} aria-describedby=${error ? errorId : undefined}
          onChange=${(e) => onChange({ ...link, area: e.currentTarget.value })}>
          <option value="">${chosen ? t('rounds.link.pick_area') : t('rounds.link.pick_round_first')}</option>
          ${(chosen?.areas || []).map((area) => html`<option key=${area} value=${area}>${area}</option>`)}
        </select>
      </div>
    </div>` : null}
    ${error ? html`<${ErrorText} id=${errorId} message=${error} />` : null}
  </fieldset>`;
}

// On a session's page: which round and area it belongs to, with a link to the round.
export function LinkedRound({ session }) {
  const [round, setRound] = useState(null);
  useEffect(() => {
    if (!session.round_id) return;
    get(`/api/rounds/${encodeURIComponent(session.round_id)}`).then(setRound).catch(() => setRound(null));
  }, [session.round_id]);
  if (!session.round_id) return null;
  return html`<p class="round-linked">${t('rounds.link.linked', { area: session.round_area })}
    ${' '}<a href=${`/console/rounds/${encodeURIComponent(session.round_id)}`} onClick=${onLinkClick}>${round
      ? t('rounds.link.view', { title: round.title }) : t('rounds.link.view_round')}</a></p>`;
}
