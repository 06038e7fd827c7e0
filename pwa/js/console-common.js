// Small pieces shared by the console's screens.
import { html } from './html.js';
import { t } from './i18n.js';
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
