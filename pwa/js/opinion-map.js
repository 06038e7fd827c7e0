// The opinion map of a statements prompt: one anonymous dot per participant who voted on
// enough statements, placed so that people who voted alike are close. A group has its own
// shape *and* shade, so the map reads in grey-scale and for colour-blind viewers. Dots carry
// no label: only groups are named ("Groep A"), never a person.
import { html, useMemo } from './html.js';
import { t, tn } from './i18n.js';

const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross'];
const SIZE = 1000; // the SVG's own units; it scales to its box and keeps its aspect ratio
const PAD = 70;

let mapIds = 0;

export const groupLetter = (id) => (id >= 0 && id < 26 ? String.fromCharCode(65 + id) : String(id + 1));
export const groupName = (id) => t('insight.group.name', { letter: groupLetter(id) });
const tone = (group) => (group < 0 ? 'none' : String(group % SHAPES.length));

// One mark centred on (x, y) with radius r; the class gives the group's shade.
function Mark({ group, x, y, r }) {
  const className = `opinion-mark opinion-mark--${tone(group)}`;
  if (group < 0) return html`<circle class=${className} cx=${x} cy=${y} r=${r * 0.7} />`;
  switch (SHAPES[group % SHAPES.length]) {
    case 'square': {
      const s = r * 0.9;
      return html`<rect class=${className} x=${x - s} y=${y - s} width=${2 * s} height=${2 * s} />`;
    }
    case 'triangle': {
      const s = r * 1.25;
      return html`<polygon class=${className} points=${`${x},${y - s} ${x + s * 0.95},${y + s * 0.7} ${x - s * 0.95},${y + s * 0.7}`} />`;
    }
    case 'diamond': {
      const s = r * 1.2;
      return html`<polygon class=${className} points=${`${x},${y - s} ${x + s},${y} ${x},${y + s} ${x - s},${y}`} />`;
    }
    case 'cross': {
      const a = r * 1.1;
      const b = r * 0.4;
      return html`<polygon class=${className} points=${[
        [-b, -a], [b, -a], [b, -b], [a, -b], [a, b], [b, b], [b, a], [-b, a], [-b, b], [-a, b], [-a, -b], [-b, -b],
      ].map(([dx, dy]) => `${x + dx},${y + dy}`).join(' ')} />`;
    }
    default:
      return html`<circle class=${className} cx=${x} cy=${y} r=${r} />`;
  }
}

// A legend swatch: the same mark in a small inline SVG.
export function GroupSwatch({ group }) {
  return html`<svg class="opinion-swatch" viewBox="0 0 40 40" aria-hidden="true" focusable="false">
    <${Mark} group=${group} x=${20} y=${21} r=${14} />
  </svg>`;
}

const place = (value) => PAD + ((Math.max(-1, Math.min(1, value)) + 1) / 2) * (SIZE - 2 * PAD);

// People who voted exactly alike share one position; they are fanned out in a small
// sunflower around it so that every person still counts as a visible dot.
function spread(points, r) {
  const seen = new Map();
  return points.map(([x, y, group]) => {
    const cx = place(x);
    const cy = SIZE - place(y);
    const key = `${Math.round(cx / 4)},${Math.round(cy / 4)}`;
    const k = seen.get(key) || 0;
    seen.set(key, k + 1);
    if (!k) return { x: cx, y: cy, group };
    const distance = r * 1.15 * Math.sqrt(k);
    const angle = k * 2.399963;
    return { x: cx + distance * Math.cos(angle), y: cy + distance * Math.sin(angle), group };
  });
}

// A group's letter sits just above its dots (below them when there is no room above), so it
// never hides a dot; letters of groups close together are pushed apart.
function labelPositions(dots, groups, r) {
  const half = 55; // half the letter's height in map units
  const labels = groups.map((group) => {
    const mine = dots.filter((d) => d.group === group.id);
    if (!mine.length) return null;
    const x = mine.reduce((sum, d) => sum + d.x, 0) / mine.length;
    const top = Math.min(...mine.map((d) => d.y)) - r * 1.3 - half;
    const bottom = Math.max(...mine.map((d) => d.y)) + r * 1.3 + half;
    return { id: group.id, x, y: top >= half ? top : bottom };
  }).filter(Boolean);
  const minGap = 130;
  for (let i = 0; i < labels.length; i += 1) {
    for (let j = 0; j < i; j += 1) {
      const a = labels[j];
      const b = labels[i];
      if (Math.abs(a.x - b.x) < minGap && Math.abs(a.y - b.y) < minGap) {
        b.x = a.x + (b.x >= a.x ? minGap : -minGap);
      }
    }
  }
  return labels.map((l) => ({ ...l, x: Math.max(half, Math.min(SIZE - half, l.x)), y: Math.max(half, Math.min(SIZE - half, l.y)) }));
}

export function mapDescription(tally) {
  const groups = tally.groups || [];
  const parts = groups.map((g) => `${groupName(g.id)}: ${tn('insight.group.people', g.size)}`);
  return t('insight.map.desc', { n: (tally.points || []).length, groups: parts.join('; ') });
}

export function OpinionMap({ prompt, tally, variant = 'room' }) {
  const ids = useMemo(() => {
    mapIds += 1;
    return { title: `opinion-map-title-${mapIds}`, desc: `opinion-map-desc-${mapIds}` };
  }, []);
  const points = tally.points || [];
  const groups = tally.groups || [];
  // Fewer, larger dots in a small room; many people still fit without hiding each other.
  const r = Math.max(7, Math.min(20, 170 / Math.sqrt(Math.max(1, points.length))));
  const dots = spread(points, r);
  const labels = labelPositions(dots, groups, r);
  const ungrouped = points.filter((p) => p[2] < 0).length;
  return html`<div class=${`opinion-map opinion-map--${variant}`} data-groups=${groups.length} data-points=${points.length}>
    <div class="opinion-map__box">
      <svg class="opinion-map__svg" viewBox=${`0 0 ${SIZE} ${SIZE}`} preserveAspectRatio="xMidYMid meet"
          role="img" aria-labelledby=${`${ids.title} ${ids.desc}`}>
        <title id=${ids.title}>${t('insight.map.title', { title: prompt.title })}</title>
        <desc id=${ids.desc}>${mapDescription(tally)}</desc>
        <rect class="opinion-map__frame" x="4" y="4" width=${SIZE - 8} height=${SIZE - 8} rx="16" />
        <line class="opinion-map__cross" x1=${SIZE / 2} x2=${SIZE / 2} y1=${PAD / 2} y2=${SIZE - PAD / 2} />
        <line class="opinion-map__cross" y1=${SIZE / 2} y2=${SIZE / 2} x1=${PAD / 2} x2=${SIZE - PAD / 2} />
        <g aria-hidden="true">
          ${dots.map((d, i) => html`<${Mark} key=${i} group=${d.group} x=${d.x} y=${d.y} r=${r} />`)}
        </g>
        <g aria-hidden="true">
          ${labels.map((l) => html`<text key=${l.id} class="opinion-map__label" x=${l.x} y=${l.y} text-anchor="middle"
            dominant-baseline="middle">${groupLetter(l.id)}</text>`)}
        </g>
      </svg>
    </div>
    <ul class="opinion-legend">
      ${groups.map((g) => html`<li class="opinion-legend__item" key=${g.id} data-group=${g.id} data-size=${g.size}>
        <${GroupSwatch} group=${g.id} />
        <span><strong>${groupName(g.id)}</strong> · ${tn('insight.group.people', g.size)}</span>
      </li>`)}
      ${ungrouped ? html`<li class="opinion-legend__item opinion-legend__item--none" data-group="-1" data-size=${ungrouped}>
        <${GroupSwatch} group=${-1} />
        <span>${t('insight.map.ungrouped')} · ${formatCount(ungrouped)}</span>
      </li>` : null}
    </ul>
  </div>`;
}

const formatCount = (n) => tn('insight.group.people', n);
