// What the rounds screens share: the protocol's fixed lists, labels for their slugs, paths.
import { html } from './html.js';
import { t } from './i18n.js';
import { label } from './canvass-labels.js';

// The note's fixed lists and their labels are the canvassing app's (canvass-labels.js); the
// whole list of standard topics is needed only here, where a round is made.
export { OUTCOMES, PARTS_OF_DAY, US_THEM_ABOUT, INCIDENTS } from './canvass-labels.js';

export const TOPICS = [
  'safety', 'nuisance', 'housing', 'public_space', 'traffic', 'youth', 'reception',
  'living_together', 'cost_of_living', 'care', 'trust_government', 'discrimination',
  'environment', 'facilities',
];

// A round's topic is a slug of the fixed list or the organiser's own word (shown as typed).
export const topicLabel = (topic) => label('topic', topic);
export const outcomeLabel = (slug) => label('outcome', slug);
export const aboutLabel = (slug) => label('about', slug);
export const incidentLabel = (slug) => label('incident', slug);
export const partOfDayLabel = (slug) => label('part', slug);

export const roundPath = (id, rest = '') => `/api/rounds/${encodeURIComponent(id)}${rest}`;
export const roundPage = (id) => `/console/rounds/${encodeURIComponent(id)}`;

export function RoundStateBadge({ state }) {
  return html`<span class=${`badge badge--round-${state}`}>${t(`rounds.state.${state}`)}</span>`;
}
