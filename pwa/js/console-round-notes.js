// The latest notes of a round for its organisers (text as stored: already redacted).
// An area that the summary folds away is not named here either, so this list cannot undo
// the k-anonymity of the table above it.
import { html } from './html.js';
import { t, tn } from './i18n.js';
import { formatDay } from './console-common.js';
import { PARTS_OF_DAY, outcomeLabel, partOfDayLabel } from './console-round-common.js';

const LATEST = 20;

function latestFirst(a, b) {
  if (a.day !== b.day) return a.day < b.day ? 1 : -1;
  return PARTS_OF_DAY.indexOf(b.part_of_day) - PARTS_OF_DAY.indexOf(a.part_of_day);
}

export function LatestNotes({ notes, shownAreas }) {
  const named = new Set(shownAreas);
  const latest = [...notes].sort(latestFirst).slice(0, LATEST);
  return html`<section class="panel" aria-labelledby="round-notes-title">
    <h2 id="round-notes-title">${t('rounds.notes.title')}</h2>
    ${notes.length ? html`<p>${tn('rounds.notes.intro', notes.length, { shown: latest.length })}</p>
      <div class="table-scroll" role="region" aria-labelledby="round-notes-caption" tabindex="0">
        <table class="round-table round-table--notes">
          <caption id="round-notes-caption" class="sr-only">${t('rounds.notes.caption')}</caption>
          <thead><tr>
            <th scope="col">${t('rounds.notes.area')}</th>
            <th scope="col">${t('rounds.notes.day')}</th>
            <th scope="col">${t('rounds.notes.part')}</th>
            <th scope="col">${t('rounds.notes.outcome')}</th>
            <th scope="col">${t('rounds.notes.text')}</th>
          </tr></thead>
          <tbody>${latest.map((note) => html`<tr key=${note.id}>
            <td>${named.has(note.area) ? note.area : html`<span class="muted">${t('rounds.notes.area_folded')}</span>`}</td>
            <td class="round-table__day">${formatDay(note.day)}</td>
            <td>${partOfDayLabel(note.part_of_day)}</td>
            <td>${outcomeLabel(note.outcome)}</td>
            <td class="round-table__text">${note.text || html`<span class="muted">${t('rounds.notes.no_text')}</span>`}</td>
          </tr>`)}</tbody>
        </table>
      </div>` : html`<p>${t('rounds.notes.empty')}</p>`}
  </section>`;
}
