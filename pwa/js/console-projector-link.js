// Makes a projector link (a key in the URL fragment), opens it and shows it for copying.
import { html, useState } from './html.js';
import { t } from './i18n.js';
import { post } from './api.js';
import { sessionPath } from './console-common.js';

export function ProjectorLinkPanel({ session }) {
  const [url, setUrl] = useState('');
  const [error, setError] = useState('');
  const [copied, setCopied] = useState('');
  const open = async () => {
    setError('');
    setCopied('');
    // Open the window in the click itself, so pop-up blockers allow it; fill it in afterwards.
    const target = window.open('', '_blank');
    try {
      const link = await post(sessionPath(session.id, '/projector-link'));
      setUrl(link.url);
      if (target) {
        target.opener = null;
        target.location.href = link.url;
      }
    } catch (failure) {
      if (target) target.close();
      setError(failure.message);
    }
  };
  const copy = async (event) => {
    const field = event.currentTarget.form?.elements?.namedItem('projector-url');
    try {
      await navigator.clipboard.writeText(url);
      setCopied(t('console.projector.copied'));
    } catch (_) {
      // No clipboard API outside secure contexts: select the text so Ctrl+C works.
      field?.select();
      setCopied(t('console.projector.select'));
    }
  };
  return html`<div class="projector-link">
    <button type="button" class="button button--primary" onClick=${open}>${t('console.projector.open')}</button>
    ${url ? html`<form class="inline-form" onSubmit=${(e) => e.preventDefault()}>
      <div class="field">
        <label class="label" for="projector-url">${t('console.projector.url')}</label>
        <input id="projector-url" name="projector-url" class="input" type="text" readonly value=${url} />
      </div>
      <button type="button" class="button" onClick=${copy}>${t('console.projector.copy')}</button>
    </form>` : null}
    <p class="status" role="status">${copied}</p>
    <p class="error-text" role="alert">${error}</p>
  </div>`;
}
