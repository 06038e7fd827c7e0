// Charts of one area's notes: horizontal bars whose numbers are text, so neither colour nor
// length alone carries the meaning; the list of labels and numbers is the text alternative.
import { html } from './html.js';
import { t, tn, formatNumber } from './i18n.js';
import { OUTCOMES, US_THEM_ABOUT, INCIDENTS, topicLabel, outcomeLabel, aboutLabel, incidentLabel } from './console-round-common.js';

const LEVELS = ['1', '2', '3', '4', '5'];

function BarChart({ id, title, rows, note, empty }) {
  const max = Math.max(1, ...rows.map((row) => row.count));
  return html`<figure class="round-chart" data-chart=${id}>
    <figcaption class="round-chart__title" id=${id}>${title}</figcaption>
    ${rows.length ? html`<ul class="round-bars">
      ${rows.map((row) => html`<li class="round-bars__row" key=${row.key}>
        <span class="round-bars__label">${row.label}</span>
        <svg class="round-bars__svg" aria-hidden="true" focusable="false" preserveAspectRatio="none">
          <rect class="round-bars__bar" x="0" y="0" height="100%" width=${`${(100 * row.count) / max}%`} />
        </svg>
        <span class="round-bars__value">${formatNumber(row.count)}</span>
      </li>`)}
    </ul>` : html`<p class="round-chart__empty">${empty || t('rounds.charts.none')}</p>`}
    ${note ? html`<p class="round-chart__note">${note}</p>` : null}
  </figure>`;
}

// Lists whose items are often all zero show only what was mentioned, most often first.
function mentioned(counts, order, label) {
  return order
    .map((key, index) => ({ key, index, label: label(key), count: counts?.[key] ?? 0 }))
    .filter((row) => row.count > 0)
    .sort((a, b) => b.count - a.count || a.index - b.index);
}

function levelRows(counts, low, high) {
  return LEVELS.map((level) => {
    let label = level;
    if (level === '1') label = `1 — ${low}`;
    if (level === '5') label = `5 — ${high}`;
    return { key: level, label, count: counts?.[level] ?? 0 };
  });
}

export function AreaCharts({ figures, topics, name }) {
  const prefix = `chart-${name}`;
  const concernNote = t('rounds.charts.mean', { mean: formatNumber(figures.concern_mean, 1) });
  const trustNote = t('rounds.charts.mean', { mean: formatNumber(figures.trust_mean, 1) });
  return html`<div class="round-charts">
    <${BarChart} id=${`${prefix}-outcomes`} title=${t('rounds.charts.outcomes')}
      rows=${OUTCOMES.map((key) => ({ key, label: outcomeLabel(key), count: figures.outcomes?.[key] ?? 0 }))}
      note=${tn('rounds.charts.of_notes', figures.notes)} />
    <${BarChart} id=${`${prefix}-topics`} title=${t('rounds.charts.topics')}
      rows=${mentioned(figures.topics, topics, topicLabel)} empty=${t('rounds.charts.no_topics')} />
    <${BarChart} id=${`${prefix}-concern`} title=${t('rounds.charts.concern')}
      rows=${levelRows(figures.concern, t('rounds.charts.concern_low'), t('rounds.charts.concern_high'))} note=${concernNote} />
    <${BarChart} id=${`${prefix}-trust`} title=${t('rounds.charts.trust')}
      rows=${levelRows(figures.trust, t('rounds.charts.trust_low'), t('rounds.charts.trust_high'))} note=${trustNote} />
    <${BarChart} id=${`${prefix}-incidents`} title=${t('rounds.charts.incidents')}
      rows=${mentioned(figures.incidents, INCIDENTS, incidentLabel)} empty=${t('rounds.charts.no_incidents')} />
    <${BarChart} id=${`${prefix}-about`} title=${t('rounds.charts.about')}
      rows=${mentioned(figures.us_them_about, US_THEM_ABOUT, aboutLabel)} empty=${t('rounds.charts.no_about')} />
  </div>`;
}
