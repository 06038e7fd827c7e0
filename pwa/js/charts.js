// Result charts shared by the projector, the console and the residents' phones.
// Bars are SVG rects sized in percent, so no inline styles are needed; every chart
// carries its numbers as text (visible or sr-only) as the text alternative.
import { html, useMemo, useRef, useState, useEffect } from './html.js';
import { t, tn, formatNumber, formatPercent } from './i18n.js';
import { layoutWords } from './wordcloud.js';
import { bindingStatements } from './insight-common.js';

// The pixel size of a chart's box, so SVG coordinates are real pixels: text keeps its
// size and bars fill the space whatever the screen's aspect ratio.
function useBoxSize(fallback) {
  const ref = useRef(null);
  const [size, setSize] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      if (width > 0 && height > 0) setSize({ width: Math.round(width), height: Math.round(height) });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}

let chartIds = 0;
const nextId = (prefix) => `${prefix}-${(chartIds += 1)}`;

export function ResultChart({ prompt, tally, minGroup = 5, variant = 'phone' }) {
  if (!prompt || !tally) return null;
  if (tally.hidden) {
    return html`<p class="chart-hidden" data-n=${tally.n}>
      ${variant === 'phone' ? t('chart.hidden.phone') : t('chart.hidden.room', { min_group: minGroup })}
    </p>`;
  }
  const props = { prompt, tally, variant };
  switch (tally.kind) {
    case 'dilemma': return html`<${Histogram} ...${props} />`;
    case 'scale': return html`<${ScaleBars} ...${props} />`;
    case 'choice': return html`<${ChoiceBars} ...${props} />`;
    case 'words': return html`<${WordCloud} ...${props} />`;
    case 'open': return html`<${CardBoard} ...${props} />`;
    case 'statements': return html`<${StatementBars} ...${props} />`;
    default: return null;
  }
}

function Count({ n }) {
  return html`<p class="chart-count" data-n=${n}>${tn('chart.answers', n)}</p>`;
}

export function polarisationWords(value) {
  if (value === null || value === undefined) return '';
  if (value < 0.2) return t('chart.dilemma.polarisation.close');
  if (value < 0.45) return t('chart.dilemma.polarisation.spread');
  if (value < 0.7) return t('chart.dilemma.polarisation.divided');
  return t('chart.dilemma.polarisation.camps');
}

function Histogram({ prompt, tally, variant }) {
  const ids = useMemo(() => ({ title: nextId('hist-title'), desc: nextId('hist-desc') }), []);
  const [box, size] = useBoxSize({ width: 600, height: 300 });
  const bins = tally.bins || [];
  const { width, height } = size;
  const font = variant === 'room' ? Math.max(18, Math.min(44, height * 0.09)) : 16;
  const top = font * 1.5;
  const bottom = font * 1.6;
  const axis = height - bottom;
  const max = Math.max(1, ...bins);
  const slot = width / Math.max(1, bins.length);
  const scaleX = (value) => (value / 100) * width;
  const barHeight = (count) => ((axis - top) * count) / max;
  const binLabel = (i) => {
    const from = Math.round((i * 100) / bins.length);
    const to = Math.round(((i + 1) * 100) / bins.length) - (i === bins.length - 1 ? 0 : 1);
    return `${from}–${to}`;
  };
  const desc = t('chart.dilemma.desc', {
    left: prompt.left, right: prompt.right, n: tally.n,
    mean: formatNumber(tally.mean), middle: formatPercent(tally.middle_share),
  });
  return html`<figure class=${`chart chart--dilemma chart--${variant}`} data-kind="dilemma" data-n=${tally.n}>
    <div class="histogram-box" ref=${box}>
      <svg class="histogram" width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`}
          role="img" aria-labelledby=${`${ids.title} ${ids.desc}`}>
        <title id=${ids.title}>${t('chart.dilemma.title', { title: prompt.title })}</title>
        <desc id=${ids.desc}>${desc}</desc>
        <rect class="histogram__middle" x=${scaleX(40)} y="0" width=${scaleX(20)} height=${height} />
        ${bins.map((count, i) => html`<g key=${i}>
          <rect class="histogram__bar" x=${i * slot + slot * 0.12} width=${slot * 0.76}
            y=${axis - barHeight(count)} height=${barHeight(count)} />
          ${count > 0 ? html`<text class="histogram__count" font-size=${font} x=${i * slot + slot / 2}
            y=${axis - barHeight(count) - font * 0.35} text-anchor="middle">${count}</text>` : null}
        </g>`)}
        <line class="histogram__axis" x1="0" x2=${width} y1=${axis} y2=${axis} />
        <text class="histogram__middle-label" font-size=${font * 0.8} x=${scaleX(50)} y=${height - font * 0.45}
          text-anchor="middle">${t('chart.dilemma.middle')}</text>
      </svg>
    </div>
    <div class="poles" aria-hidden="true">
      <span class="poles__left">${prompt.left}</span>
      <span class="poles__right">${prompt.right}</span>
    </div>
    <div class="sr-only">
    <table>
      <caption>${t('chart.table.caption', { title: prompt.title })}</caption>
      <thead><tr><th scope="col">${t('chart.table.range')}</th><th scope="col">${t('chart.table.count')}</th></tr></thead>
      <tbody>${bins.map((count, i) => html`<tr key=${i}><td>${binLabel(i)}</td><td>${count}</td></tr>`)}</tbody>
    </table>
    </div>
    <dl class="stats">
      <div><dt>${t('chart.answers.label')}</dt><dd>${formatNumber(tally.n)}</dd></div>
      <div><dt>${t('chart.dilemma.mean')}</dt><dd>${formatNumber(tally.mean)}</dd></div>
      <div><dt>${t('chart.dilemma.middle_share')}</dt><dd>${formatPercent(tally.middle_share)}</dd></div>
      <div><dt>${t('chart.dilemma.polarisation')}</dt>
        <dd>${formatNumber(tally.polarisation, 2)}${tally.polarisation === null || tally.polarisation === undefined ? '' : ` — ${polarisationWords(tally.polarisation)}`}</dd></div>
    </dl>
  </figure>`;
}

function BarList({ rows, n, variant, kind, caption, footer }) {
  const max = Math.max(1, ...rows.map((row) => row.count));
  let density = '';
  if (rows.length > 7) density = ' chart--denser';
  else if (rows.length > 4) density = ' chart--dense';
  return html`<figure class=${`chart chart--bars chart--${variant}${density}`} data-kind=${kind} data-n=${n}>
    <figcaption class="sr-only">${caption}</figcaption>
    <ul class="bars">
      ${rows.map((row) => html`<li class="bars__row" key=${row.key}>
        <span class="bars__label">${row.label}</span>
        <span class="bars__track">
          <svg class="bars__svg" aria-hidden="true" focusable="false" preserveAspectRatio="none">
            <rect class="bars__bar" x="0" y="0" height="100%" width=${`${(100 * row.count) / max}%`} />
          </svg>
          <span class="bars__value">${formatNumber(row.count)}</span>
        </span>
      </li>`)}
    </ul>
    ${footer}
    <${Count} n=${n} />
  </figure>`;
}

function ScaleBars({ prompt, tally, variant }) {
  const rows = [];
  for (let value = prompt.min ?? 1; value <= (prompt.max ?? 5); value += 1) {
    let label = String(value);
    if (value === prompt.min && prompt.min_label) label = `${value} — ${prompt.min_label}`;
    if (value === prompt.max && prompt.max_label) label = `${value} — ${prompt.max_label}`;
    rows.push({ key: value, label, count: tally.counts?.[String(value)] ?? 0 });
  }
  const footer = html`<p class="chart-mean">${t('chart.scale.mean', { mean: formatNumber(tally.mean, 1) })}</p>`;
  return html`<${BarList} rows=${rows} n=${tally.n} variant=${variant} kind="scale"
    caption=${t('chart.bars.caption', { title: prompt.title })} footer=${footer} />`;
}

function ChoiceBars({ prompt, tally, variant }) {
  const rows = (prompt.options || []).map((option) => ({
    key: option.id, label: option.label, count: tally.counts?.[option.id] ?? 0,
  }));
  return html`<${BarList} rows=${rows} n=${tally.n} variant=${variant} kind="choice"
    caption=${t('chart.bars.caption', { title: prompt.title })} />`;
}

function WordCloud({ prompt, tally, variant }) {
  const ids = useMemo(() => ({ title: nextId('cloud-title') }), []);
  const [box, size] = useBoxSize({ width: 600, height: 360 });
  const words = tally.words || [];
  const fontFamily = getComputedStyle(document.body).fontFamily || 'sans-serif';
  const { width, height } = size;
  const maxSize = Math.max(24, Math.min(height * 0.28, width * 0.12));
  const minSize = Math.max(variant === 'room' ? 24 : 16, maxSize * 0.3);
  const placed = useMemo(
    () => layoutWords(words, { width, height, minSize, maxSize, fontFamily }),
    [JSON.stringify(words), width, height],
  );
  return html`<figure class=${`chart chart--words chart--${variant}`} data-kind="words" data-n=${tally.n}>
    <div class="cloud-box" ref=${box}>
      <svg class="cloud" width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`} role="img" aria-labelledby=${ids.title}>
        <title id=${ids.title}>${t('chart.words.title', { title: prompt.title })}</title>
        ${placed.map((w) => html`<text key=${w.word} class=${`cloud__word cloud__word--${w.tone}`}
          x=${w.cx} y=${w.baseline} font-size=${w.size} text-anchor="middle">${w.word}</text>`)}
      </svg>
    </div>
    <ul class="sr-only">
      ${words.map((w) => html`<li key=${w.word}>${t('chart.words.item', { word: w.word, count: w.count })}</li>`)}
    </ul>
    <${Count} n=${tally.n} />
  </figure>`;
}

const ROOM_CARDS_PER_COLUMN = 6;

function CardBoard({ prompt, tally, variant }) {
  const categories = prompt.categories || [];
  const cards = tally.cards || [];
  const columns = categories.map((c) => ({ id: c.id, label: c.label, cards: cards.filter((card) => card.category === c.id) }));
  const known = new Set(categories.map((c) => c.id));
  const rest = cards.filter((card) => !card.category || !known.has(card.category));
  if (rest.length || !columns.length) {
    columns.push({ id: '_', label: categories.length ? t('chart.open.other') : t('chart.open.cards'), cards: rest });
  }
  const polarity = categories.length === 4;
  return html`<figure class=${`chart chart--open chart--${variant}${polarity ? ' chart--polarity' : ''}`} data-kind="open" data-n=${tally.n}>
    <figcaption class="sr-only">${t('chart.open.caption', { title: prompt.title })}</figcaption>
    <div class=${`board board--${Math.min(columns.length, 4)}`}>
      ${columns.map((column) => {
        const shown = variant === 'room' ? column.cards.slice(-ROOM_CARDS_PER_COLUMN) : column.cards;
        const more = column.cards.length - shown.length;
        return html`<section class="board__column" key=${column.id}>
          <${variant === 'room' ? 'h2' : 'h3'} class="board__title">${column.label}<//>
          ${shown.length ? html`<ul class="board__cards">
            ${shown.map((card) => html`<li class="card-note" key=${card.id}>${card.text}</li>`)}
          </ul>` : html`<p class="board__empty">${t('chart.open.empty')}</p>`}
          ${more > 0 ? html`<p class="board__more">${tn('chart.open.more', more)}</p>` : null}
        </section>`;
      })}
    </div>
    <${Count} n=${tally.n} />
  </figure>`;
}

function StatementBars({ tally, variant, prompt }) {
  const statements = tally.statements || [];
  const bridging = new Set(bindingStatements(tally).slice(0, 3).map((b) => b.statement_id));
  return html`<figure class=${`chart chart--statements chart--${variant}`} data-kind="statements" data-n=${tally.n}>
    <figcaption class="sr-only">${t('chart.statements.caption', { title: prompt.title })}</figcaption>
    <ul class="legend" aria-hidden="true">
      <li><span class="legend__swatch legend__swatch--agree"></span>${t('vote.agree')}</li>
      <li><span class="legend__swatch legend__swatch--disagree"></span>${t('vote.disagree')}</li>
      <li><span class="legend__swatch legend__swatch--pass"></span>${t('vote.pass')}</li>
    </ul>
    <ul class="statements-result">
      ${statements.map((s) => {
        const total = Math.max(1, s.agree + s.disagree + s.pass);
        const agree = (100 * s.agree) / total;
        const disagree = (100 * s.disagree) / total;
        return html`<li class="statements-result__row" key=${s.id}>
          <p class="statements-result__text">${s.text}
            ${bridging.has(s.id) ? html` <strong class="badge badge--bridge">${t('chart.statements.bridging')}</strong>` : null}</p>
          <svg class="stack" aria-hidden="true" focusable="false" preserveAspectRatio="none">
            <rect class="stack__agree" x="0" y="0" height="100%" width=${`${agree}%`} />
            <rect class="stack__disagree" x=${`${agree}%`} y="0" height="100%" width=${`${disagree}%`} />
            <rect class="stack__pass" x=${`${agree + disagree}%`} y="0" height="100%" width=${`${100 - agree - disagree}%`} />
          </svg>
          <p class="statements-result__numbers">${t('chart.statements.numbers', { agree: s.agree, disagree: s.disagree, pass: s.pass })}</p>
        </li>`;
      })}
    </ul>
    ${tally.groups?.length ? html`<p class="chart-groups">${tn('chart.statements.groups', tally.groups.length)}</p>` : null}
    <${Count} n=${tally.n} />
  </figure>`;
}
