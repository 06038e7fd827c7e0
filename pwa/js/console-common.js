// Small pieces shared by the console's screens.
import { html } from './html.js';
import { t, lang } from './i18n.js';
import { useTitle } from './components.js';

export function StateBadge({ state }) {
  return html`<span class=${`badge badge--state-${state}`}>${t(`session.state.${state}`)}</span>`;
}

export function PromptStateBadge({ state }) {
  return html`<span class=${`badge badge--prompt-${state}`}>${t(`prompt.state.${state}`)}</span>`;
}

export function useConsoleTitle(text) {
  useTitle(text ? `${text} — ${t('console.title')}` : t('console.title'));
}

export const sessionPath = (id, rest = '') => `/api/sessions/${encodeURIComponent(id)}${rest}`;

// A moment (ISO timestamp) as a medium date in the interface's language.
export function formatDate(value) {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(lang.value, { dateStyle: 'medium' }).format(date);
}

// A calendar day (YYYY-MM-DD) read as a local date, so no time zone shifts it by a day.
export function formatDay(value) {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
  if (!parts) return value || '';
  const date = new Date(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]));
  return new Intl.DateTimeFormat(lang.value, { dateStyle: 'medium' }).format(date);
}
