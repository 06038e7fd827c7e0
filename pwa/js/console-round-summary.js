// The round's figures per area, k-anonymous: the server folds areas with fewer than k notes
// into "other" and hides that too when it is small. This screen shows exactly what it gets.
import { html, useState } from './html.js';
import { t, tn, formatNumber, formatPercent } from './i18n.js';
import { AreaCharts } from './console-round-charts.js';

const OTHER = '__other__';

function Figure({ value }) {
  if (value === null || value === undefined || value === '–') {
    return html`<span aria-hidden="true">–</span><span class="sr-only">${t('rounds.table.no_data')}</span>`;
  }
  return value;
}

function AreaRow({ name, figures }) {
  return html`<tr>
    <th scope="row">${name}</th>
    <td class="num">${formatNumber(figures.notes)}</td>
    <td class="num"><${Figure} value=${figures.concern_mean === null ? null : formatNumber(figures.concern_mean, 1)} /></td>
    <td class="num"><${Figure} value=${figures.trust_mean === null ? null : formatNumber(figures.trust_mean, 1)} /></td>
    <td class="num"><${Figure} value=${figures.us_them_share === null ? null : formatPercent(figures.us_them_share)} /></td>
    <td class="num">${t('rounds.table.wants_value', { yes: formatNumber(figures.wants_dialogue), maybe: formatNumber(figures.wants_dialogue_maybe) })}</td>
  </tr>`;
}

function OtherRow({ other }) {
  const name = tn('rounds.table.other', other.areas);
  if (!other.hidden) return html`<${AreaRow} name=${name} figures=${other} />`;
  return html`<tr class="round-table__hidden">
    <th scope="row">${name}</th>
    <td class="num">${formatNumber(other.notes)}</td>
    <td colspan="4">${t('rounds.table.hidden')}</td>
  </tr>`;
}

function AreaTable({ round, summary }) {
  return html`<div class="table-scroll" role="region" aria-labelledby="round-table-caption" tabindex="0">
    <table class="round-table">
      <caption id="round-table-caption">${t('rounds.table.caption', { title: round.title })}</caption>
      <thead><tr>
        <th scope="col">${t('rounds.table.area')}</th>
        <th scope="col" class="num">${t('rounds.table.notes')}</th>
        <th scope="col" class="num">${t('rounds.table.concern')}</th>
        <th scope="col" class="num">${t('rounds.table.trust')}</th>
        <th scope="col" class="num">${t('rounds.table.us_them')}</th>
        <th scope="col" class="num">${t('rounds.table.wants')}</th>
      </tr></thead>
      <tbody>
        ${summary.areas.map((area) => html`<${AreaRow} key=${area.area} name=${area.area} figures=${area} />`)}
        ${summary.other ? html`<${OtherRow} other=${summary.other} />` : null}
      </tbody>
    </table>
  </div>
  <p class="hint">${t('rounds.table.explain')}</p>`;
}

function ChartPicker({ round, summary }) {
  const choices = summary.areas.map((area, index) => ({ value: String(index), label: area.area, figures: area }));
  if (summary.other && !summary.other.hidden) {
    choices.push({ value: OTHER, label: tn('rounds.table.other', summary.other.areas), figures: summary.other });
  }
  const [picked, setPicked] = useState(choices[0]?.value ?? '');
  if (!choices.length) return html`<p>${t('rounds.charts.too_few', { k: summary.k })}</p>`;
  const chosen = choices.find((choice) => choice.value === picked) || choices[0];
  return html`<div class="field round-chart-picker">
      <label class="label" for="round-chart-area">${t('rounds.charts.pick')}</label>
      <select id="round-chart-area" class="select" value=${chosen.value} onChange=${(e) => setPicked(e.currentTarget.value)}>
        ${choices.map((choice) => html`<option key=${choice.value} value=${choice.value}>${choice.label}</option>`)}
      </select>
    </div>
    <h4 class="round-charts__area">${t('rounds.charts.for', { area: chosen.label })}</h4>
    <${AreaCharts} key=${chosen.value} figures=${chosen.figures} topics=${round.topics}
      name=${chosen.value === OTHER ? 'other' : `area-${chosen.value}`} />`;
}

export function RoundSummary({ round, summary }) {
  return html`<section class="panel" aria-labelledby="round-summary-title">
    <h2 id="round-summary-title">${t('rounds.summary.title')}</h2>
    <p class="round-k-rule"><strong>${t('rounds.summary.k_rule', { k: summary.k })}</strong>
      ${' '}${t('rounds.summary.k_why')}</p>
    ${summary.notes === 0 ? html`<div class="round-empty">
      <p class="lead">${t('rounds.summary.empty')}</p>
      <p>${t('rounds.summary.empty_next')} <a href="/canvass">${t('console.nav.canvass')}</a>.</p>
    </div>` : html`<p>${tn('rounds.summary.total', summary.notes)}</p>
      <${AreaTable} round=${round} summary=${summary} />
      <h3>${t('rounds.charts.title')}</h3>
      <${ChartPicker} round=${round} summary=${summary} />`}
  </section>`;
}
