// A dilemma beyond its histogram, for presenters and facilitators: the shift since the
// opening (on the closing prompt of a before/after pair) and the split by opinion group.
// DilemmaRoom is the projector (large, one screen); DilemmaInsight the console (tables).
// Every chart has its numbers next to it as text or as a visually hidden table.
import { html } from './html.js';
import { t, tn, formatNumber, formatPercent } from './i18n.js';
import { ResultChart } from './charts.js';
import { GroupSwatch, groupName } from './opinion-map.js';
import { useId, useFit, Heading } from './insight-common.js';

const MIDDLE_FROM = 40;
const MIDDLE_TO = 60;

function binLabel(i, count) {
  const from = Math.round((i * 100) / count);
  const to = Math.round(((i + 1) * 100) / count) - (i === count - 1 ? 0 : 1);
  return `${from}–${to}`;
}

// A small histogram of shares (so distributions of different sizes compare); the numbers
// are in its label and, where asked, in a visually hidden table.
export function MiniHistogram({ bins, label, className = '' }) {
  const total = Math.max(1, bins.reduce((a, b) => a + b, 0));
  const max = Math.max(1e-9, ...bins.map((b) => b / total));
  const slot = 100 / Math.max(1, bins.length);
  return html`<svg class=${`mini-hist ${className}`} viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label=${label}>
    <rect class="mini-hist__middle" x=${MIDDLE_FROM} y="0" width=${MIDDLE_TO - MIDDLE_FROM} height="40" />
    ${bins.map((count, i) => {
      const h = (38 * (count / total)) / max;
      return html`<rect key=${i} class="mini-hist__bar" x=${i * slot + slot * 0.12} width=${slot * 0.76} y=${39 - h} height=${h} />`;
    })}
    <line class="mini-hist__axis" x1="0" x2="100" y1="39.5" y2="39.5" />
  </svg>`;
}

function BinsTable({ bins, caption }) {
  return html`<div class="sr-only"><table>
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${t('chart.table.range')}</th><th scope="col">${t('chart.table.count')}</th></tr></thead>
    <tbody>${bins.map((count, i) => html`<tr key=${i}><td>${binLabel(i, bins.length)}</td><td>${count}</td></tr>`)}</tbody>
  </table></div>`;
}

const sideLabel = (side, name) => t('insight.dilemma.side_desc', {
  name, n: formatNumber(side.n), mean: formatNumber(side.mean), middle: formatPercent(side.middle_share),
});

function pairedSentences(paired, minGroup) {
  if (!paired) return [];
  if (paired.hidden) return [t('insight.dilemma.paired.hidden', { min_group: minGroup })];
  const people = formatNumber(paired.n);
  const out = [paired.to_middle ? tn('insight.dilemma.paired.to', paired.to_middle, { people })
    : t('insight.dilemma.paired.to_none', { people })];
  if (paired.from_middle) out.push(tn('insight.dilemma.paired.from', paired.from_middle));
  return out;
}

// "Midden: 22% → 35%" and "Gemiddelde: 48 → 52" (overall, each prompt's own respondents).
function ShiftLines({ before, tally }) {
  const was = before.overall_before;
  if (was.hidden) return html`<p class="insight-note">${t('insight.dilemma.before.hidden')}</p>`;
  return html`<ul class="shift">
    <li class="shift__line shift__line--middle" data-before=${was.middle_share} data-after=${tally.middle_share}>
      ${t('insight.dilemma.middle_shift', { before: formatPercent(was.middle_share), after: formatPercent(tally.middle_share) })}</li>
    <li class="shift__line shift__line--mean">
      ${t('insight.dilemma.mean_shift', { before: formatNumber(was.mean), after: formatNumber(tally.mean) })}</li>
  </ul>`;
}

function BeforeAfter({ prompt, tally, minGroup, level }) {
  const { before } = tally;
  const was = before.overall_before;
  const headingId = useId('before');
  return html`<section class="before-after" aria-labelledby=${headingId} data-pair=${before.pair}>
    <${Heading} level=${level} className="insight-heading" id=${headingId}>${t('insight.dilemma.before.title')}<//>
    ${!was.hidden && was.bins ? html`
      <${MiniHistogram} bins=${was.bins} className="mini-hist--before" label=${sideLabel(was, t('insight.dilemma.before.name'))} />
      <${BinsTable} bins=${was.bins} caption=${t('insight.dilemma.before.table', { title: prompt.title })} />` : null}
    <${ShiftLines} before=${before} tally=${tally} />
    ${pairedSentences(before.paired, minGroup).map((sentence, i) => html`<p class="before-after__paired" key=${i}>${sentence}</p>`)}
  </section>`;
}

function ByGroup({ prompt, tally, level }) {
  const headingId = useId('by-group');
  const groups = byGroupOf(tally);
  return html`<section class="by-group" aria-labelledby=${headingId}>
    <${Heading} level=${level} className="insight-heading" id=${headingId}>${t('insight.by_group.title')}<//>
    <ul class="by-group__list">
      ${groups.map((g) => html`<li class="by-group__row" key=${g.group} data-group=${g.group} data-hidden=${g.hidden ? 'true' : 'false'}>
        <span class="by-group__name"><${GroupSwatch} group=${g.group} />${groupName(g.group)}</span>
        ${g.hidden || !g.bins ? html`<span class="by-group__few">${t('insight.by_group.hidden')}</span>` : html`
          <${MiniHistogram} bins=${g.bins} className="mini-hist--group" label=${sideLabel(g, groupName(g.group))} />
          <span class="by-group__middle">${t('insight.by_group.middle', { share: formatPercent(g.middle_share) })}</span>`}
      </li>`)}
    </ul>
    <div class="sr-only"><${ByGroupTable} prompt=${prompt} groups=${groups} /></div>
  </section>`;
}

function ByGroupTable({ prompt, groups }) {
  return html`<table class="insight-table">
    <caption>${t('insight.by_group.caption', { title: prompt.title })}</caption>
    <thead><tr>
      <th scope="col">${t('insight.table.group')}</th>
      <th scope="col">${t('chart.answers.label')}</th>
      <th scope="col">${t('chart.dilemma.mean')}</th>
      <th scope="col">${t('chart.dilemma.middle_share')}</th>
    </tr></thead>
    <tbody>${groups.map((g) => html`<tr key=${g.group}>
      <th scope="row">${groupName(g.group)}</th>
      ${g.hidden ? html`<td colspan="3">${t('insight.by_group.hidden')}</td>` : html`
        <td>${formatNumber(g.n)}</td><td>${formatNumber(g.mean)}</td><td>${formatPercent(g.middle_share)}</td>`}
    </tr>`)}</tbody>
  </table>`;
}

// The server leaves out fields that have their default value, so group 0 arrives without `group`.
const byGroupOf = (tally) => (tally.by_group || []).map((g) => ({ ...g, group: g.group ?? 0 }));

export const hasDilemmaInsight = (tally) => !tally.hidden && (!!tally.before || (tally.by_group || []).length > 0);

// Projector: the current histogram with, beside it, the opening's distribution and the shift,
// and the split by opinion group.
export function DilemmaRoom({ session, prompt, tally }) {
  const chart = html`<${ResultChart} prompt=${prompt} tally=${tally} minGroup=${session.min_group} variant="room" />`;
  if (!hasDilemmaInsight(tally)) return chart;
  return html`<${DilemmaRoomGrid} session=${session} prompt=${prompt} tally=${tally} chart=${chart} />`;
}

function DilemmaRoomGrid({ session, prompt, tally, chart }) {
  const fitRef = useFit(JSON.stringify([tally.before, tally.by_group]));
  return html`<div class="insight-dilemma-room" data-kind="dilemma-insight">
    <div class="insight-dilemma-room__now">
      ${tally.before ? html`<h2 class="insight-heading">${t('insight.dilemma.now')}</h2>` : null}
      ${chart}
    </div>
    <div class="insight-dilemma-room__side" ref=${fitRef}>
      ${tally.before ? html`<${BeforeAfter} prompt=${prompt} tally=${tally} minGroup=${session.min_group} level=${2} />` : null}
      ${tally.by_group?.length ? html`<${ByGroup} prompt=${prompt} tally=${tally} level=${2} />` : null}
    </div>
  </div>`;
}

// Console: a comparison table (opening, now, difference), the paired sentence and the split
// by group as a visible table with small histograms.
export function DilemmaInsight({ prompt, tally, minGroup }) {
  const headingId = useId('dilemma-insight');
  if (!hasDilemmaInsight(tally)) return null;
  const { before } = tally;
  const was = before?.overall_before;
  const diff = (value, digits = 0) => (value === null || value === undefined ? '–'
    : `${value > 0 ? '+' : value < 0 ? '−' : '±'}${formatNumber(Math.abs(value), digits)}`);
  return html`<section class="insight-panel" aria-labelledby=${headingId} data-kind="dilemma-insight">
    <h3 class="insight-heading" id=${headingId}>${t('insight.dilemma.heading')}</h3>
    ${before ? html`<div class="before-after before-after--console" data-pair=${before.pair}>
      <table class="insight-table">
        <caption>${t('insight.dilemma.compare.caption')}</caption>
        <thead><tr>
          <td></td>
          <th scope="col">${t('insight.dilemma.before.name')}</th>
          <th scope="col">${t('insight.dilemma.now')}</th>
          <th scope="col">${t('insight.dilemma.difference')}</th>
        </tr></thead>
        <tbody>
          <tr><th scope="row">${t('chart.answers.label')}</th><td>${formatNumber(was.n)}</td><td>${formatNumber(tally.n)}</td><td></td></tr>
          <tr><th scope="row">${t('chart.dilemma.mean')}</th>
            <td>${was.hidden ? t('insight.by_group.hidden') : formatNumber(was.mean)}</td><td>${formatNumber(tally.mean)}</td><td>${diff(before.mean_shift)}</td></tr>
          <tr class="before-after__middle"><th scope="row">${t('chart.dilemma.middle_share')}</th>
            <td>${was.hidden ? t('insight.by_group.hidden') : formatPercent(was.middle_share)}</td><td>${formatPercent(tally.middle_share)}</td>
            <td>${before.middle_shift === undefined || before.middle_shift === null ? '' : t('insight.dilemma.points', { n: diff(before.middle_shift * 100) })}</td></tr>
        </tbody>
      </table>
      ${!was.hidden && was.bins ? html`<div class="before-after__hists">
        <figure class="before-after__hist"><${MiniHistogram} bins=${was.bins} label=${sideLabel(was, t('insight.dilemma.before.name'))} />
          <figcaption>${t('insight.dilemma.before.name')}</figcaption></figure>
        <figure class="before-after__hist"><${MiniHistogram} bins=${tally.bins || []} label=${sideLabel(tally, t('insight.dilemma.now'))} />
          <figcaption>${t('insight.dilemma.now')}</figcaption></figure>
      </div>` : null}
      ${pairedSentences(before.paired, minGroup).map((sentence, i) => html`<p class="before-after__paired" key=${i}>${sentence}</p>`)}
    </div>` : null}
    ${tally.by_group?.length ? html`<div class="by-group by-group--console">
      <h4 class="insight-heading">${t('insight.by_group.title')}</h4>
      <table class="insight-table">
        <caption class="sr-only">${t('insight.by_group.caption', { title: prompt.title })}</caption>
        <thead><tr>
          <th scope="col">${t('insight.table.group')}</th>
          <th scope="col">${t('chart.answers.label')}</th>
          <th scope="col">${t('chart.dilemma.mean')}</th>
          <th scope="col">${t('chart.dilemma.middle_share')}</th>
          <th scope="col">${t('insight.table.distribution')}</th>
        </tr></thead>
        <tbody>${byGroupOf(tally).map((g) => html`<tr key=${g.group} data-group=${g.group}>
          <th scope="row"><${GroupSwatch} group=${g.group} /> ${groupName(g.group)}</th>
          ${g.hidden || !g.bins ? html`<td>${formatNumber(g.n)}</td><td colspan="3">${t('insight.by_group.hidden')}</td>` : html`
            <td>${formatNumber(g.n)}</td><td>${formatNumber(g.mean)}</td><td>${formatPercent(g.middle_share)}</td>
            <td><${MiniHistogram} bins=${g.bins} className="mini-hist--cell" label=${sideLabel(g, groupName(g.group))} /></td>`}
        </tr>`)}</tbody>
      </table>
    </div>` : null}
  </section>`;
}
