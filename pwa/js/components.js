// Small building blocks shared by the screens.
import { html, useEffect } from './html.js';
import { t, lang, setLanguage } from './i18n.js';

export function LanguageSwitch() {
  const other = lang.value === 'nl' ? 'en' : 'nl';
  return html`<button type="button" class="button button--quiet lang-switch" lang=${other}
      onClick=${() => setLanguage(other)}>${t(`language.switch.${other}`)}</button>`;
}

export function AppHeader({ title, children }) {
  return html`<header class="app-header">
    <div class="app-header__inner">
      <span class="app-header__brand"><${Logo} />${t('app.name')}</span>
      ${title ? html`<span class="app-header__title">${title}</span>` : null}
      <div class="app-header__tools">${children}<${LanguageSwitch} /></div>
    </div>
  </header>`;
}

export function Logo() {
  return html`<svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
    <rect width="32" height="32" rx="6" class="logo__bg" />
    <path class="logo__mark" d="M7 8h18a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H15l-5 4v-4H7a2 2 0 0 1-2-2v-9a2 2 0 0 1 2-2z" />
  </svg>`;
}

// Sets document.title from the screen; the app name comes last.
export function useTitle(text) {
  useEffect(() => {
    document.title = text ? `${text} — ${t('app.name')}` : t('app.name');
  }, [text, lang.value]);
}

export function ErrorText({ message, id }) {
  return html`<p class="error-text" role="alert" id=${id}>${message || ''}</p>`;
}

// A polite live region that always exists, so screen readers announce changes to it.
export function Status({ message, className = '' }) {
  return html`<p class=${`status ${className}`} role="status">${message || ''}</p>`;
}

export function Spinner({ label }) {
  return html`<p class="loading" role="status">${label || t('common.loading')}</p>`;
}
