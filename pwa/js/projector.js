// The beamer view: join QR and code while no prompt is shown, else the prompt's live results.
// The projector key arrives in the URL fragment, is kept in sessionStorage and removed from the URL.
import { html, useState, useEffect } from './html.js';
import { t, tn } from './i18n.js';
import { post } from './api.js';
import { connectLive } from './live.js';
import { ResultChart } from './charts.js';
import { StatementsRoom } from './insight-statements.js';
import { DilemmaRoom } from './insight-dilemma.js';
import { useTitle } from './components.js';

const keyName = (sessionId) => `samenspraak.projector.${sessionId}`;

function takeKey(sessionId) {
  const match = location.hash.match(/(?:^#|&)key=([^&]+)/);
  if (match) {
    const key = decodeURIComponent(match[1]);
    try {
      sessionStorage.setItem(keyName(sessionId), key);
    } catch (_) {
      // Without storage the key lives only in memory; a reload needs the link again.
    }
    history.replaceState(null, '', location.pathname + location.search);
    return key;
  }
  try {
    return sessionStorage.getItem(keyName(sessionId));
  } catch (_) {
    return null;
  }
}

export function ProjectorScreen({ sessionId }) {
  const [key] = useState(() => takeKey(sessionId));
  const [view, setView] = useState({ connection: 'connecting', session: null, prompt: null, tally: null });
  useTitle(view.session?.title || t('projector.title'));
  useEffect(() => {
    document.body.classList.add('projector-body');
    return () => document.body.classList.remove('projector-body');
  }, []);
  useEffect(() => {
    if (!key) return undefined;
    const update = (patch) => setView((old) => ({ ...old, ...(typeof patch === 'function' ? patch(old) : patch) }));
    const client = connectLive({
      hello: async (lastSeq) => {
        const { ticket } = await post('/api/projector/ws-ticket', undefined, { token: key });
        return { type: 'hello', ticket, role: 'presenter', last_seq: lastSeq };
      },
      onState: (state) => update({ connection: state }),
      onMessage: (message) => {
        if (message.type === 'welcome') {
          update({
            session: message.session,
            prompt: message.prompt || null,
            tally: message.results && message.prompt && message.results.prompt_id === message.prompt.id ? message.results.tally : null,
          });
        } else if (message.type === 'prompt') {
          update((old) => ({ prompt: message.prompt || null, tally: message.prompt?.id === old.prompt?.id ? old.tally : null }));
        } else if (message.type === 'results') {
          update((old) => (old.prompt?.id === message.prompt_id ? { tally: message.tally } : {}));
        } else if (message.type === 'presence') {
          update((old) => ({ session: old.session && { ...old.session, participants: message.participants, connected: message.connected } }));
        } else if (message.type === 'session') {
          update((old) => ({ session: old.session && { ...old.session, state: message.state } }));
        }
      },
    });
    return () => client.close();
  }, [key, sessionId]);

  const { session, prompt, tally, connection } = view;
  let body;
  if (!key) body = html`<${ProjectorMessage} title=${t('projector.no_key.title')} text=${t('projector.no_key.text')} />`;
  else if (connection.startsWith('stopped:') && connection !== 'stopped:closed') {
    body = html`<${ProjectorMessage} title=${t('projector.denied.title')} text=${t('projector.denied.text')} />`;
  } else if (!session) body = html`<${ProjectorMessage} title=${t('projector.connecting')} />`;
  else if (session.state === 'closed') body = html`<${ProjectorMessage} title=${t('projector.ended.title')} text=${t('projector.ended.text')} />`;
  else if (!prompt) body = html`<${JoinScreen} session=${session} />`;
  else body = html`<${PromptScreen} session=${session} prompt=${prompt} tally=${tally} />`;
  return html`<main id="main" class="projector">
    ${body}
    ${session ? html`<p class="projector__count" role="status">${tn('projector.participants', session.participants ?? 0)}</p>` : null}
    ${connection === 'down' ? html`<p class="projector__offline" role="status">${t('projector.offline')}</p>` : null}
  </main>`;
}

function ProjectorMessage({ title, text }) {
  return html`<div class="projector__message"><h1>${title}</h1>${text ? html`<p>${text}</p>` : null}</div>`;
}

function JoinScreen({ session }) {
  const code = session.code || '';
  return html`<div class="projector__join">
    <div class="projector__join-text">
      <h1 class="projector__title">${session.title}</h1>
      <p class="projector__instruction">${t('projector.join.scan')}</p>
      <p class="projector__instruction">${t('projector.join.or')}</p>
      <p class="projector__url">${(session.join_url || '').replace(/^https?:\/\//, '')}</p>
      <p class="projector__code" aria-label=${t('projector.join.code_label', { code: code.split('').join(' ') })}>${code}</p>
    </div>
    ${code ? html`<img class="projector__qr" src=${`/api/join/${encodeURIComponent(code)}/qr.svg`}
      alt=${t('projector.join.qr_alt', { url: session.join_url || '' })} />` : null}
  </div>`;
}

// Long questions get a smaller title so the results keep most of the screen.
function titleSize(title) {
  const length = (title || '').length;
  if (length > 110) return ' projector__prompt-title--longer';
  if (length > 55) return ' projector__prompt-title--long';
  return '';
}

function PromptScreen({ session, prompt, tally }) {
  return html`<div class=${`projector__prompt projector__prompt--${prompt.kind}`}>
    <h1 class=${`projector__prompt-title${titleSize(prompt.title)}`}>${prompt.title}</h1>
    ${prompt.state === 'closed' ? html`<p class="projector__closed">${t('projector.prompt.closed')}</p>` : null}
    <div class="projector__chart">
      ${tally ? html`<${RoomResults} session=${session} prompt=${prompt} tally=${tally} />`
        : html`<p class="chart-hidden">${t('projector.prompt.waiting')}</p>`}
    </div>
    ${session.code ? html`<p class="projector__join-hint">${t('projector.prompt.join_hint', { code: session.code })}</p>` : null}
  </div>`;
}

// Statements and dilemmas carry more for the room than counts: opinion groups and what binds
// them, the shift since the opening and the split by group (insight-statements.js,
// insight-dilemma.js).
function RoomResults({ session, prompt, tally }) {
  if (!tally.hidden && tally.kind === 'statements') return html`<${StatementsRoom} session=${session} prompt=${prompt} tally=${tally} />`;
  if (!tally.hidden && tally.kind === 'dilemma') return html`<${DilemmaRoom} session=${session} prompt=${prompt} tally=${tally} />`;
  return html`<${ResultChart} prompt=${prompt} tally=${tally} minGroup=${session.min_group} variant="room" />`;
}
