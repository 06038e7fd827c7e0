// One neighbourhood: what its dialogues showed (per session and dilemma a small histogram with
// the middle band, before/after when the dilemma was asked at the opening and the close) beside
// what canvassers heard at the door in the area of the same name (k-anonymous: an area with
// fewer than k notes shows no figures). The server leaves out what may not be shown.
import { html, useState, useEffect } from './html.js';
import { t, tn, formatNumber, formatPercent } from './i18n.js';
import { get } from './api.js';
import { onLinkClick } from './router.js';
import { Spinner } from './components.js';
import { StateBadge, useConsoleTitle, formatDate, formatDay } from './console-common.js';
import { RoundStateBadge, roundPage, topicLabel } from './console-round-common.js';
import { RoundDates } from './console-rounds.js';
import { AreaCharts } from './console-round-charts.js';
import { MiniHistogram } from './insight-dilemma.js';

export const hoodPage = (name) => `/console/overview/${encodeURIComponent(name)}`;
export const sessionPage = (id) => `/console/sessions/${encodeURIComponent(id)}`;
const TOP_TOPICS = 3;

export function DayRange({ first, last }) {
  if (!first) return null;
  if (!last || first === last) return html`<span>${formatDay(first)}</span>`;
  return html`<span>${t('overview.days', { from: formatDay(first), to: formatDay(last) })}</span>`;
}

function binLabel(i, count) {
  const from = Math.round((i * 100) / count);
  const to = Math.round(((i + 1) * 100) / count) - (i === count - 1 ? 0 : 1);
  return `${from}–${to}`;
}

const sideLabel = (side, name) => t('overview.dilemma.desc', {
  name, n: formatNumber(side.n), mean: formatNumber(side.mean), middle: formatPercent(side.middle_share),
});

// The numbers behind the histograms, for everyone who wants them (and screen readers).
function BinsTable({ dilemma, was }) {
  const bins = dilemma.bins || [];
  return html`<details class="overview-numbers">
    <summary>${t('overview.dilemma.numbers')}</summary>
    <table class="insight-table">
      <caption class="sr-only">${t('overview.dilemma.numbers_caption', { title: dilemma.title })}</caption>
      <thead><tr>
        <th scope="col">${t('overview.dilemma.range')}</th>
        ${was ? html`<th scope="col">${t('overview.dilemma.opening')}</th>` : null}
        <th scope="col">${was ? t('overview.dilemma.close') : t('overview.dilemma.count')}</th>
      </tr></thead>
      <tbody>${bins.map((count, i) => html`<tr key=${i}>
        <th scope="row">${binLabel(i, bins.length)}</th>
        ${was ? html`<td>${formatNumber(was.bins[i] ?? 0)}</td>` : null}
        <td>${formatNumber(count)}</td>
      </tr>`)}</tbody>
    </table>
  </details>`;
}

function Shift({ dilemma }) {
  const was = dilemma.before?.overall_before;
  if (!was) return null;
  if (was.hidden) return html`<p class="overview-dilemma__shift">${t('overview.dilemma.before_hidden')}</p>`;
  return html`<p class="overview-dilemma__shift" data-before=${was.middle_share} data-after=${dilemma.middle_share}>
    ${t('overview.dilemma.middle_shift', { before: formatPercent(was.middle_share), after: formatPercent(dilemma.middle_share) })}</p>`;
}

function DilemmaResult({ dilemma, minGroup, id }) {
  const was = dilemma.before?.overall_before;
  const compare = was && !was.hidden && Array.isArray(was.bins) ? was : null;
  return html`<section class="overview-dilemma" aria-labelledby=${id} data-prompt=${dilemma.prompt_id}
      data-hidden=${dilemma.hidden ? 'true' : 'false'}>
    <h4 class="overview-dilemma__title" id=${id}>${dilemma.title}</h4>
    <p class="overview-dilemma__poles">${t('overview.dilemma.poles', { left: dilemma.left, right: dilemma.right })}</p>
    ${dilemma.hidden ? html`<p class="overview-dilemma__hidden">
      ${t('overview.dilemma.hidden', { n: formatNumber(dilemma.n), min_group: formatNumber(minGroup) })}</p>` : html`
      <div class="overview-dilemma__hists">
        ${compare ? html`<figure class="overview-hist overview-hist--before">
          <${MiniHistogram} bins=${compare.bins} className="mini-hist--before" label=${sideLabel(compare, t('overview.dilemma.opening'))} />
          <figcaption>${t('overview.dilemma.opening')}</figcaption>
        </figure>` : null}
        <figure class="overview-hist">
          <${MiniHistogram} bins=${dilemma.bins || []}
            label=${sideLabel(dilemma, compare ? t('overview.dilemma.close') : t('overview.dilemma.all'))} />
          <figcaption>${compare ? t('overview.dilemma.close') : t('overview.dilemma.all')}</figcaption>
        </figure>
      </div>
      <dl class="overview-stats">
        <div><dt>${t('overview.dilemma.answers')}</dt><dd data-stat="n">${formatNumber(dilemma.n)}</dd></div>
        <div><dt>${t('overview.dilemma.middle_share')}</dt><dd data-stat="middle">${formatPercent(dilemma.middle_share)}</dd></div>
        <div><dt>${t('overview.dilemma.mean')}</dt><dd data-stat="mean">${formatNumber(dilemma.mean)}</dd></div>
      </dl>
      <${Shift} dilemma=${dilemma} />
      <${BinsTable} dilemma=${dilemma} was=${compare} />`}
  </section>`;
}

function SessionResults({ session, minGroup, index }) {
  const headingId = `overview-session-${index}`;
  return html`<article class="panel overview-session" aria-labelledby=${headingId} data-session=${session.id}>
    <h3 id=${headingId}><a href=${sessionPage(session.id)} onClick=${onLinkClick}>${session.title}</a></h3>
    <p class="overview-card__meta">
      <${StateBadge} state=${session.state} />
      <span>${formatDate(session.created_at)}</span>
      <span>${tn('overview.participants', session.participants)}</span>
    </p>
    ${session.dilemmas.length ? session.dilemmas.map((d, i) => html`<${DilemmaResult} key=${d.prompt_id}
      dilemma=${d} minGroup=${minGroup} id=${`${headingId}-dilemma-${i}`} />`)
    : html`<p class="overview-none">${t('overview.dialogues.no_dilemma')}</p>`}
  </article>`;
}

function topTopics(topics) {
  return Object.entries(topics || {})
    .map(([topic, count], index) => ({ topic, count, index }))
    .filter((row) => row.count > 0)
    .sort((a, b) => b.count - a.count || a.index - b.index)
    .slice(0, TOP_TOPICS);
}

const mean = (value) => (value === null || value === undefined ? t('overview.signals.no_data') : formatNumber(value, 1));

function Signals({ summary, index }) {
  const top = topTopics(summary.topics);
  return html`<dl class="overview-signals">
      <div><dt>${t('overview.signals.notes')}</dt><dd data-signal="notes">${formatNumber(summary.notes)}</dd></div>
      <div><dt>${t('overview.signals.concern')}</dt><dd data-signal="concern">${mean(summary.concern_mean)}</dd></div>
      <div><dt>${t('overview.signals.trust')}</dt><dd data-signal="trust">${mean(summary.trust_mean)}</dd></div>
      <div><dt>${t('overview.signals.us_them')}</dt><dd data-signal="us_them">${summary.us_them_share === null
        ? t('overview.signals.no_data') : formatPercent(summary.us_them_share)}</dd></div>
      <div><dt>${t('overview.signals.wants')}</dt><dd data-signal="wants">${t('overview.signals.wants_value', {
        yes: formatNumber(summary.wants_dialogue), maybe: formatNumber(summary.wants_dialogue_maybe) })}</dd></div>
      <div class="overview-signals__topics"><dt>${t('overview.signals.topics')}</dt><dd data-signal="topics">
        ${top.length ? html`<ol class="overview-topics">${top.map((row) => html`<li key=${row.topic}>
          ${t('overview.signals.topic', { topic: topicLabel(row.topic), n: formatNumber(row.count) })}</li>`)}</ol>`
        : t('overview.signals.no_topics')}</dd></div>
    </dl>
    <p class="hint">${t('overview.signals.scale')}</p>
    <details class="overview-numbers">
      <summary>${t('overview.signals.charts')}</summary>
      <${AreaCharts} figures=${summary} topics=${Object.keys(summary.topics || {})} name=${`overview-${index}`} />
    </details>`;
}

function AreaSignals({ item, k, index }) {
  const headingId = `overview-round-${index}`;
  return html`<article class="panel overview-round" aria-labelledby=${headingId} data-round=${item.round_id}
      data-hidden-reason=${item.hidden_reason || ''}>
    <h3 id=${headingId}><a href=${roundPage(item.round_id)} onClick=${onLinkClick}>${item.round_title}</a></h3>
    <p class="overview-card__meta">
      <${RoundStateBadge} state=${item.state} />
      <${RoundDates} round=${item} />
      <span>${t('overview.area', { area: item.area })}</span>
    </p>
    ${item.summary ? html`<${Signals} summary=${item.summary} index=${index} />`
    : html`<p class="overview-hidden">${t('overview.signals.hidden', { k: formatNumber(k) })}</p>`}
  </article>`;
}

// The breadcrumb above leads back to the overview.
function Missing() {
  return html`<h1>${t('overview.missing.title')}</h1>
    <p>${t('overview.missing.text')}</p>`;
}

export function NeighbourhoodPage({ name }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const [missing, setMissing] = useState(false);
  useConsoleTitle(data?.name || name);
  useEffect(() => {
    get(`/api/overview/${encodeURIComponent(name)}`)
      .then(setData)
      .catch((failure) => (failure.status === 404 ? setMissing(true) : setError(failure.message)));
  }, [name]);
  if (missing) return html`<${Missing} />`;
  if (error) return html`<p class="error-text" role="alert">${error}</p>`;
  if (!data) return html`<${Spinner} />`;
  return html`<h1>${data.name}</h1>
    <p class="lead">${t('overview.hood.intro', { name: data.name })}</p>
    <div class="overview-columns">
      <section class="overview-column overview-column--dialogues" aria-labelledby="overview-dialogues-title">
        <h2 id="overview-dialogues-title">${t('overview.dialogues.title')}</h2>
        <p class="hint">${t('overview.dialogues.rule', { min_group: formatNumber(data.min_group) })}</p>
        ${data.sessions.length ? data.sessions.map((s, i) => html`<${SessionResults} key=${s.id} session=${s}
          minGroup=${data.min_group} index=${i} />`) : html`<p class="overview-none">${t('overview.dialogues.none')}</p>`}
      </section>
      <section class="overview-column overview-column--door" aria-labelledby="overview-door-title">
        <h2 id="overview-door-title">${t('overview.door.title')}</h2>
        <p class="hint">${t('overview.door.rule', { k: formatNumber(data.k) })}</p>
        ${data.canvassing.length ? data.canvassing.map((item, i) => html`<${AreaSignals} key=${`${item.round_id}-${item.area}`}
          item=${item} k=${data.k} index=${i} />`) : html`<p class="overview-none">${t('overview.door.none')}</p>`}
      </section>
    </div>`;
}
