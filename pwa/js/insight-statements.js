// Opinion groups of a statements prompt for presenters and facilitators: the map, what binds
// the room and what sets each group apart. StatementsRoom is the projector (large, one
// screen); StatementsInsight the console (compact, beside the bars). Every chart has its
// numbers next to it as text or as a visually hidden table.
import { html } from './html.js';
import { t, tn, has, formatNumber, formatPercent } from './i18n.js';
import { ResultChart } from './charts.js';
import { OpinionMap, GroupSwatch, groupName } from './opinion-map.js';
import { bindingStatements, useId, useFit, Heading } from './insight-common.js';

function statementTexts(prompt, tally) {
  const texts = new Map((prompt.statements || []).map((s) => [s.id, s.text]));
  for (const s of tally.statements || []) texts.set(s.id, s.text);
  return texts;
}

export const hasGroups = (tally) => !tally.hidden && Array.isArray(tally.groups) && tally.groups.length > 0;

// Why there are no opinion groups yet, in words (reason codes come from the server).
export function groupsNote(tally) {
  const reason = tally.groups_reason;
  const params = { grouped: formatNumber(tally.grouped ?? 0) };
  if (reason && has(`insight.reason.${reason}`)) return t(`insight.reason.${reason}`, params);
  return reason ? t('insight.reason.other', params) : t('insight.reason.pending', params);
}

export function GroupsNote({ tally }) {
  return html`<p class="insight-note" data-reason=${tally.groups_reason || ''}>${groupsNote(tally)}</p>`;
}

export function BindingList({ prompt, tally, limit = 3, level = 2 }) {
  const texts = statementTexts(prompt, tally);
  const headingId = useId('binding');
  const items = bindingStatements(tally).filter((b) => texts.has(b.statement_id)).slice(0, limit);
  return html`<section class="binding" aria-labelledby=${headingId}>
    <${Heading} level=${level} className="insight-heading" id=${headingId}>${t('insight.bridging.title')}<//>
    ${items.length ? html`<ol class="binding__list">
      ${items.map((b) => html`<li class="binding__item" key=${b.statement_id} data-statement=${b.statement_id}>
        <span class="binding__share">${t('insight.bridging.agree', { share: formatPercent(b.agree_share) })}</span>
        <span class="binding__text">${texts.get(b.statement_id)}</span>
      </li>`)}
    </ol>` : html`<p class="insight-note">${t('insight.bridging.none')}</p>`}
  </section>`;
}

function byDirection(statements) {
  const out = [];
  for (const direction of ['agree', 'disagree']) {
    const mine = statements.filter((s) => s.direction === direction);
    if (mine.length) out.push({ direction, statements: mine });
  }
  return out;
}

export function GroupStatements({ prompt, tally, perGroup = 2, level = 2 }) {
  const texts = statementTexts(prompt, tally);
  const headingId = useId('group-statements');
  return html`<section class="group-statements" aria-labelledby=${headingId}>
    <${Heading} level=${level} className="insight-heading" id=${headingId}>${t('insight.groups.title')}<//>
    <ul class="group-statements__list">
      ${(tally.groups || []).map((group) => {
        const top = (group.statements || []).filter((s) => texts.has(s.statement_id)).slice(0, perGroup);
        return html`<li class="group-card" key=${group.id} data-group=${group.id}>
          ${top.length ? byDirection(top).map(({ direction, statements }) => html`<div class="group-card__part" key=${direction}>
            <p class="group-card__lead"><${GroupSwatch} group=${group.id} />
              ${t(direction === 'agree' ? 'insight.group.agree_with' : 'insight.group.disagree_with', { group: groupName(group.id) })}</p>
            <ul class="group-card__statements">
              ${statements.map((s) => html`<li key=${s.statement_id} data-statement=${s.statement_id}>
                <span class="group-card__text">${texts.get(s.statement_id)}</span>
                <span class="group-card__share">${t('insight.group.share', { in: formatPercent(s.share_in_group), out: formatPercent(s.share_elsewhere) })}</span>
              </li>`)}
            </ul>
          </div>`) : html`<p class="group-card__lead"><${GroupSwatch} group=${group.id} />
            ${t('insight.group.nothing', { group: groupName(group.id) })}</p>`}
        </li>`;
      })}
    </ul>
  </section>`;
}

// The map's data as a table for screen readers: every group, its size and what sets it apart.
function GroupsTable({ prompt, tally }) {
  const texts = statementTexts(prompt, tally);
  const describe = (group, direction) => (group.statements || [])
    .filter((s) => s.direction === direction && texts.has(s.statement_id))
    .map((s) => `${texts.get(s.statement_id)} (${t('insight.group.share', { in: formatPercent(s.share_in_group), out: formatPercent(s.share_elsewhere) })})`)
    .join('; ') || '–';
  return html`<div class="sr-only"><table>
    <caption>${t('insight.groups.table.caption', { title: prompt.title })}</caption>
    <thead><tr>
      <th scope="col">${t('insight.table.group')}</th>
      <th scope="col">${t('insight.table.people')}</th>
      <th scope="col">${t('insight.groups.table.agree')}</th>
      <th scope="col">${t('insight.groups.table.disagree')}</th>
    </tr></thead>
    <tbody>${(tally.groups || []).map((g) => html`<tr key=${g.id}>
      <th scope="row">${groupName(g.id)}</th><td>${formatNumber(g.size)}</td>
      <td>${describe(g, 'agree')}</td><td>${describe(g, 'disagree')}</td>
    </tr>`)}</tbody>
  </table></div>`;
}

// Projector: the map beside what binds the room and what sets each group apart; before
// there are groups, the usual agree/disagree bars with a note why.
export function StatementsRoom({ session, prompt, tally }) {
  if (!hasGroups(tally)) {
    return html`<${ResultChart} prompt=${prompt} tally=${tally} minGroup=${session.min_group} variant="room" />
      ${tally.hidden ? null : html`<${GroupsNote} tally=${tally} />`}`;
  }
  const perGroup = tally.groups.length <= 2 ? 2 : 1;
  return html`<${StatementsRoomGrid} prompt=${prompt} tally=${tally} perGroup=${perGroup} />`;
}

function StatementsRoomGrid({ prompt, tally, perGroup }) {
  const fitRef = useFit(JSON.stringify([tally.groups, tally.bridging, prompt.statements]));
  return html`<div class="insight-room" data-kind="statements-insight">
    <div class="insight-room__map">
      <${OpinionMap} prompt=${prompt} tally=${tally} variant="room" />
      <${GroupsTable} prompt=${prompt} tally=${tally} />
    </div>
    <div class="insight-room__text" ref=${fitRef}>
      <${BindingList} prompt=${prompt} tally=${tally} level=${2} />
      <${GroupStatements} prompt=${prompt} tally=${tally} perGroup=${perGroup} level=${2} />
    </div>
  </div>`;
}

// Console: the same, compact, beside the bars.
export function StatementsInsight({ prompt, tally }) {
  const headingId = useId('statements-insight');
  if (tally.hidden) return null;
  if (!hasGroups(tally)) {
    return html`<section class="insight-panel" aria-labelledby=${headingId} data-kind="statements-insight">
      <h3 class="insight-heading" id=${headingId}>${t('insight.groups.heading')}</h3>
      <${GroupsNote} tally=${tally} />
    </section>`;
  }
  return html`<section class="insight-panel" aria-labelledby=${headingId} data-kind="statements-insight">
    <h3 class="insight-heading" id=${headingId}>${t('insight.groups.heading')}</h3>
    <p class="insight-count">${tn('insight.grouped', tally.grouped ?? (tally.points || []).length)}</p>
    <${OpinionMap} prompt=${prompt} tally=${tally} variant="console" />
    <${GroupsTable} prompt=${prompt} tally=${tally} />
    <${BindingList} prompt=${prompt} tally=${tally} level=${4} />
    <${GroupStatements} prompt=${prompt} tally=${tally} perGroup=${2} level=${4} />
  </section>`;
}
