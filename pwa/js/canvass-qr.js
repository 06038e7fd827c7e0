// QR at the door: the live dialogue sessions of the chosen area, and their QR code full screen
// for a resident to scan. The QR image is public; the service worker keeps a copy for offline.
import { html, useEffect, useRef, useState } from './html.js';
import { t } from './i18n.js';

export const qrUrl = (code) => `/api/join/${encodeURIComponent(code)}/qr.svg`;

export function liveSessions(round, area) {
  return (round?.sessions || []).filter((s) => s.area === area && s.state === 'live' && s.code);
}

// Fetches each QR once while online, so the service worker has it when the network is gone.
export function keepQrCodes(sessions) {
  for (const session of sessions) {
    fetch(qrUrl(session.code), { credentials: 'same-origin' }).catch(() => {});
  }
}

function QrDialog({ session, onClose }) {
  const dialog = useRef(null);
  const closeButton = useRef(null);
  useEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement;
    if (element && !element.open) element.showModal?.();
    closeButton.current?.focus();
    return () => {
      if (opener && opener.isConnected) opener.focus();
    };
  }, []);
  // Close the modal first: while it is open the rest of the page is inert and cannot take focus back.
  const close = () => {
    if (dialog.current?.open) dialog.current.close();
    onClose();
  };
  // Escape fires `cancel` on a modal <dialog>; it closes the same way as the button.
  const cancel = (event) => {
    event.preventDefault();
    close();
  };
  return html`<dialog class="qr-dialog" ref=${dialog} aria-labelledby="qr-title" onCancel=${cancel}>
    <div class="qr-dialog__inner">
      <h2 id="qr-title" class="qr-dialog__title">${session.title}</h2>
      <img class="qr-dialog__img" src=${qrUrl(session.code)} alt=${t('canvass.qr.alt', { title: session.title })} />
      <p class="qr-dialog__scan">${t('canvass.qr.scan')}</p>
      <p class="qr-dialog__url">${session.join_url}</p>
      <p class="qr-dialog__code-label">${t('canvass.qr.code')}</p>
      <p class="qr-dialog__code">${session.code}</p>
      <button type="button" class="button button--primary button--wide qr-dialog__close" ref=${closeButton} onClick=${close}>
        ${t('canvass.qr.close')}</button>
    </div>
  </dialog>`;
}

export function SessionsHere({ round, area }) {
  const [shown, setShown] = useState(null);
  const sessions = liveSessions(round, area);
  if (!sessions.length) return null;
  return html`<section class="door-sessions" aria-labelledby="door-sessions-title">
    <h2 id="door-sessions-title" class="door-sessions__title">${t('canvass.qr.title')}</h2>
    <ul class="door-sessions__list">
      ${sessions.map((session) => html`<li key=${session.id} class="door-sessions__item">
        <span class="door-sessions__name">${session.title}</span>
        <button type="button" class="button" aria-label=${t('canvass.qr.show_named', { title: session.title })}
          onClick=${() => setShown(session)}>${t('canvass.qr.show')}</button>
      </li>`)}
    </ul>
    ${shown ? html`<${QrDialog} session=${shown} onClose=${() => setShown(null)} />` : null}
  </section>`;
}
