// The organisation overview: every neighbourhood with its dialogue sessions and canvassing
// rounds on one time axis (the latest activity first), and the sessions without a neighbourhood.
// The timeline is a picture of the list under it; that list is its text alternative.
import { html, useState, useEffect } from './html.js';
import { t, tn, formatNumber } from './i18n.js';
import { get } from './api.js';
import { onLinkClick } from './router.js';
import { Spinner } from './components.js';
import { StateBadge, useConsoleTitle, formatDay } from './console-common.js';
import { RoundStateBadge, roundPage } from './console-round-common.js';
import { hoodPage, sessionPage, DayRange } from './console-overview-hood.js';

export { NeighbourhoodPage } from './console-overview-hood.js';

const DAY = 86400000;
const dayNumber = (day) => {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY;
};

// One axis for every neighbourhood, so their rows compare over time.
function axisOf(hoods) {
  const days = hoods.flatMap((hood) => [dayNumber(hood.first), dayNumber(hood.last)]);
  const from = Math.min(...days);
  const to = Math.max(...days);
  return { from, to, first: hoods.map((h) => h.first).sort()[0], last: hoods.map((h) => h.last).sort().at(-1) };
}

function items(hood) {
  const sessions = hood.sessions.map((s, order) => ({ kind: 'session', key: `s-${s.id}`, order, first: s.first, last: s.last, session: s }));
  const rounds = hood.rounds.map((r, order) => ({ kind: 'round', key: `r-${r.id}-${r.area}`, order, first: r.first, last: r.last, round: r }));
  // By day; on one day the sessions first, each kind in the server's order.
  return [...sessions, ...rounds].sort((a, b) => a.first.localeCompare(b.first)
    || (a.kind === b.kind ? a.order - b.order : (a.kind === 'session' ? -1 : 1)));
}

// Rounds are bands (their width is their duration) below the axis; sessions are upright marks
// above it, drawn as lines whose stroke does not stretch with the picture.
function Timeline({ hood, axis }) {
  const span = Math.max(1, axis.to - axis.from);
  const at = (day) => 1 + (98 * (dayNumber(day) - axis.from)) / span;
  return html`<div class="overview-timeline" aria-hidden="true">
    <svg class="overview-timeline__svg" viewBox="0 0 100 20" preserveAspectRatio="none" focusable="false">
      <line class="overview-timeline__axis" x1="0" x2="100" y1="10" y2="10" />
      ${hood.rounds.map((r) => html`<rect key=${`r-${r.id}-${r.area}`} class="overview-timeline__round"
        x=${at(r.first)} width=${Math.max(0.6, at(r.last) - at(r.first))} y="11.5" height="7" />`)}
      ${hood.sessions.map((s) => html`<line key=${`s-${s.id}`} class="overview-timeline__session"
        x1=${at(s.first)} x2=${at(s.first)} y1="1.5" y2="8.5" />`)}
    </svg>
    <div class="overview-timeline__ends"><span>${formatDay(axis.first)}</span><span>${formatDay(axis.last)}</span></div>
  </div>`;
}

function SessionItem({ session }) {
  return html`<span class="overview-item__what">${t('overview.item.session')}</span>
    <a href=${sessionPage(session.id)} onClick=${onLinkClick}>${session.title}</a>
    <span class="overview-item__meta">
      <${StateBadge} state=${session.state} />
      <span>${tn('overview.participants', session.participants)}</span>
    </span>`;
}

function RoundItem({ round, k }) {
  const notes = round.notes_in_area === null ? t('overview.notes.hidden', { k: formatNumber(k) })
    : tn('overview.notes', round.notes_in_area);
  return html`<span class="overview-item__what">${t('overview.item.round')}</span>
    <a href=${roundPage(round.id)} onClick=${onLinkClick}>${round.title}</a>
    <span class="overview-item__meta">
      <${RoundStateBadge} state=${round.state} />
      <span>${t('overview.area', { area: round.area })}</span>
      <span data-notes=${round.notes_in_area ?? ''}>${notes}</span>
    </span>`;
}

function HoodCard({ hood, axis, k, index }) {
  const headingId = `overview-hood-${index}`;
  return html`<li class="overview-hood" data-hood=${hood.name}>
    <section aria-labelledby=${headingId}>
      <h2 class="overview-hood__name" id=${headingId}>
        <a href=${hoodPage(hood.name)} onClick=${onLinkClick}>${hood.name}</a>
      </h2>
      <p class="overview-hood__meta">
        <span>${tn('overview.count.sessions', hood.sessions.length)}</span>
        <span>${tn('overview.count.rounds', hood.rounds.length)}</span>
        <${DayRange} first=${hood.first} last=${hood.last} />
      </p>
      <${Timeline} hood=${hood} axis=${axis} />
      <ol class="overview-items">
        ${items(hood).map((item) => html`<li class=${`overview-item overview-item--${item.kind}`} key=${item.key}>
          <span class="overview-item__when"><${DayRange} first=${item.first} last=${item.last} /></span>
          ${item.kind === 'session' ? html`<${SessionItem} session=${item.session} />` : html`<${RoundItem} round=${item.round} k=${k} />`}
        </li>`)}
      </ol>
    </section>
  </li>`;
}

function Legend() {
  return html`<ul class="overview-legend">
    <li><svg class="overview-legend__swatch" aria-hidden="true" focusable="false"><line class="overview-timeline__session" x1="50%" x2="50%" y1="0" y2="100%" /></svg>
      ${t('overview.legend.session')}</li>
    <li><svg class="overview-legend__swatch" aria-hidden="true" focusable="false"><rect class="overview-timeline__round" x="0" y="25%" width="100%" height="50%" /></svg>
      ${t('overview.legend.round')}</li>
  </ul>`;
}

function Unassigned({ sessions }) {
  if (!sessions.length) return null;
  return html`<section class="panel overview-unassigned" aria-labelledby="overview-unassigned-title">
    <h2 id="overview-unassigned-title">${t('overview.unassigned.title')}</h2>
    <p class="hint">${t('overview.unassigned.hint')}</p>
    <ul class="session-list">
      ${sessions.map((s) => html`<li class="session-list__item" key=${s.id}>
        <a class="session-list__link" href=${sessionPage(s.id)} onClick=${onLinkClick}>${s.title}</a>
        <span class="session-list__meta">
          <${StateBadge} state=${s.state} />
          <span>${tn('overview.participants', s.participants)}</span>
          <${DayRange} first=${s.first} last=${s.last} />
        </span>
      </li>`)}
    </ul>
  </section>`;
}

function EmptyOverview() {
  return html`<div class="panel overview-empty">
    <h2>${t('overview.empty.title')}</h2>
    <p>${t('overview.empty.what')}</p>
    <p>${t('overview.empty.next')}</p>
    <p><a href="/console" onClick=${onLinkClick}>${t('overview.empty.sessions')}</a>
      ${' · '}<a href="/console/rounds" onClick=${onLinkClick}>${t('overview.empty.rounds')}</a></p>
  </div>`;
}

export function OverviewList() {
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  useConsoleTitle(t('overview.title'));
  useEffect(() => {
    get('/api/overview').then(setData).catch((failure) => setError(failure.message));
  }, []);
  const hoods = data?.neighbourhoods || [];
  const empty = data && !hoods.length && !data.unassigned.sessions.length;
  const axis = hoods.length ? axisOf(hoods) : null;
  return html`<h1>${t('overview.title')}</h1>
    <p class="lead">${t('overview.intro')}</p>
    <p class="error-text" role="alert">${error}</p>
    ${data === null && !error ? html`<${Spinner} />` : null}
    ${empty ? html`<${EmptyOverview} />` : null}
    ${hoods.length ? html`<p class="hint">${t('overview.order')}</p>
      <${Legend} />
      <ul class="overview-hoods">
        ${hoods.map((hood, index) => html`<${HoodCard} key=${hood.name} hood=${hood} axis=${axis} k=${data.k} index=${index} />`)}
      </ul>` : null}
    ${data ? html`<${Unassigned} sessions=${data.unassigned.sessions} />` : null}`;
}
