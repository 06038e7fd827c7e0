// Live control of a running session: QR and code, presence, show/close/reveal per prompt,
// the live tally, moderation of open cards and of residents' proposed statements, the
// projector link and ending the session.
import { html, useState, useEffect, useRef } from './html.js';
import { t, tn } from './i18n.js';
import { get, post } from './api.js';
import { connectLive } from './live.js';
import { navigate } from './router.js';
import { ResultChart } from './charts.js';
import { StatementsInsight } from './insight-statements.js';
import { DilemmaInsight } from './insight-dilemma.js';
import { PromptStateBadge, sessionPath } from './console-common.js';
import { sortedPrompts } from './console-editor.js';
import { ProjectorLinkPanel } from './console-projector-link.js';
import { HeldWords } from './console-words.js';

function useFacilitatorLive(session, reload) {
  const [live, setLive] = useState({ connection: 'connecting', participants: session.participants ?? 0, connected: null, tallies: {}, pending: {}, current: session.current_prompt_id });
  const reloadRef = useRef(reload);
  reloadRef.current = reload;
  useEffect(() => {
    const update = (patch) => setLive((old) => ({ ...old, ...(typeof patch === 'function' ? patch(old) : patch) }));
    const client = connectLive({
      hello: async (lastSeq) => {
        const { ticket } = await post(sessionPath(session.id, '/ws-ticket'));
        return { type: 'hello', ticket, role: 'facilitator', last_seq: lastSeq };
      },
      onState: (state) => {
        update({ connection: state });
        if (state === 'stopped:unauthenticated') navigate('/login', { replace: true });
      },
      onMessage: (message) => {
        if (message.type === 'welcome') {
          update((old) => ({
            participants: message.session?.participants ?? old.participants,
            connected: message.session?.connected ?? old.connected,
            current: message.prompt?.id ?? null,
            tallies: message.results ? { ...old.tallies, [message.results.prompt_id]: message.results.tally } : old.tallies,
          }));
          reloadRef.current();
        } else if (message.type === 'prompt') {
          update({ current: message.prompt?.id ?? null });
          reloadRef.current();
        } else if (message.type === 'results') {
          update((old) => ({ tallies: { ...old.tallies, [message.prompt_id]: message.tally } }));
        } else if (message.type === 'presence') {
          update({ participants: message.participants, connected: message.connected ?? null });
        } else if (message.type === 'moderation') {
          update((old) => ({ pending: { ...old.pending, [message.prompt_id]: message.pending } }));
        } else if (message.type === 'session') {
          reloadRef.current();
        }
      },
    });
    return () => client.close();
  }, [session.id]);
  return live;
}

export function LiveConsole({ session, reload }) {
  const live = useFacilitatorLive(session, reload);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [ending, setEnding] = useState(false);
  const prompts = sortedPrompts(session);
  const current = live.current ?? session.current_prompt_id;
  const act = async (path, body, done) => {
    setError('');
    setStatus('');
    try {
      await post(sessionPath(session.id, path), body);
      await reload();
      if (done) setStatus(done);
    } catch (failure) {
      setError(failure.message);
    }
  };
  const lost = live.connection === 'down';
  return html`<section class="live-grid" aria-label=${t('console.live.title')}>
    <div class="panel join-panel">
      <h2>${t('console.live.join')}</h2>
      <img class="qr" src=${sessionPath(session.id, '/qr.svg')} alt=${t('console.live.qr_alt', { url: session.join_url || '' })} width="240" height="240" />
      <p class="join-code" aria-label=${t('console.live.code_label', { code: (session.code || '').split('').join(' ') })}>${session.code}</p>
      <p class="join-url">${session.join_url}</p>
      <p class="presence" role="status">${tn('console.live.participants', live.participants ?? 0)}${live.connected !== null ? ` · ${tn('console.live.connected', live.connected)}` : ''}</p>
      ${lost ? html`<p class="banner banner--warning">${t('console.live.connection_lost')}</p>` : null}
    </div>
    <div class="panel control-panel">
      <h2>${t('console.live.controls')}</h2>
      <div class="button-row">
        <button type="button" class="button" disabled=${!current}
          onClick=${() => act('/show', { prompt_id: null }, t('console.live.blanked'))}>${t('console.live.blank')}</button>
      </div>
      <${ProjectorLinkPanel} session=${session} />
      ${ending ? html`<div class="confirm" role="group" aria-labelledby="end-confirm">
        <p id="end-confirm">${t('console.live.end_confirm')}</p>
        <div class="button-row">
          <button type="button" class="button button--danger" onClick=${() => act('/close', undefined, t('console.live.ended'))}>${t('console.live.end_yes')}</button>
          <button type="button" class="button" onClick=${() => setEnding(false)}>${t('common.cancel')}</button>
        </div>
      </div>` : html`<button type="button" class="button button--danger" onClick=${() => setEnding(true)}>${t('console.live.end')}</button>`}
      <p class="error-text" role="alert">${error}</p>
      <p class="status" role="status">${status}</p>
    </div>
  </section>
  <section class="panel" aria-labelledby="live-prompts-title">
    <h2 id="live-prompts-title">${t('console.live.prompts')}</h2>
    <ol class="prompt-list prompt-list--live">
      ${prompts.map((prompt) => html`<${LivePrompt} key=${prompt.id} session=${session} prompt=${prompt}
        current=${prompt.id === current} tally=${live.tallies[prompt.id]} pending=${live.pending[prompt.id]} act=${act} />`)}
    </ol>
  </section>`;
}

function LivePrompt({ session, prompt, current, tally, pending, act }) {
  const answers = tally?.n ?? prompt.answers ?? 0;
  const path = `/prompts/${encodeURIComponent(prompt.id)}`;
  return html`<li class=${`prompt-item${current ? ' prompt-item--current' : ''}`}>
    <div class="prompt-item__head">
      <span class="kind-badge">${t(`kind.${prompt.kind}`)}</span>
      <${PromptStateBadge} state=${prompt.state} />
      ${current ? html`<strong class="badge badge--current">${t('console.live.on_screen')}</strong>` : null}
      ${prompt.revealed ? html`<span class="badge badge--revealed">${t('console.live.revealed')}</span>` : null}
      <span class="muted">${tn('console.prompts.answers', answers)}</span>
    </div>
    <p class="prompt-item__title">${prompt.title}</p>
    <div class="button-row">
      ${!current || prompt.state !== 'open' ? html`<button type="button" class="button button--primary button--small"
        aria-label=${t('console.live.show_label', { title: prompt.title })}
        onClick=${() => act('/show', { prompt_id: prompt.id }, t('console.live.shown', { title: prompt.title }))}>${t('console.live.show')}</button>` : null}
      ${prompt.state === 'open' ? html`<button type="button" class="button button--small"
        aria-label=${t('console.live.close_label', { title: prompt.title })}
        onClick=${() => act(`${path}/close`, undefined, t('console.live.closed', { title: prompt.title }))}>${t('console.live.close')}</button>` : null}
      ${prompt.state !== 'pending' ? html`<button type="button" class="button button--small"
        aria-label=${t(prompt.revealed ? 'console.live.hide_label' : 'console.live.reveal_label', { title: prompt.title })}
        onClick=${() => act(`${path}/reveal`, { visible: !prompt.revealed }, t(prompt.revealed ? 'console.live.hidden' : 'console.live.revealed_done'))}>
        ${t(prompt.revealed ? 'console.live.hide' : 'console.live.reveal')}</button>` : null}
    </div>
    ${prompt.notes ? html`<details class="notes" open=${current}><summary>${t('console.prompts.notes')}</summary><p class="notes__text">${prompt.notes}</p></details>` : null}
    ${current && tally ? html`<div class="live-chart"><${LiveResults} session=${session} prompt=${prompt} tally=${tally} /></div>` : null}
    ${moderated(prompt) ? html`<${ModerationQueue} session=${session} prompt=${prompt} pending=${pending} />` : null}
    ${prompt.kind === 'words' && prompt.state !== 'pending' ? html`<${HeldWords} session=${session} prompt=${prompt} pending=${pending} />` : null}
  </li>`;
}

// The counts and, for statements and dilemmas, the insight beside them (groups, what binds,
// before/after, by group).
function LiveResults({ session, prompt, tally }) {
  const chart = html`<${ResultChart} prompt=${prompt} tally=${tally} minGroup=${session.min_group} variant="console" />`;
  let insight = null;
  if (!tally.hidden && tally.kind === 'statements') insight = html`<${StatementsInsight} prompt=${prompt} tally=${tally} />`;
  else if (!tally.hidden && tally.kind === 'dilemma' && (tally.before || tally.by_group?.length)) {
    insight = html`<${DilemmaInsight} prompt=${prompt} tally=${tally} minGroup=${session.min_group} />`;
  }
  if (!insight) return chart;
  return html`<div class="live-insight"><div>${chart}</div>${insight}</div>`;
}

// Open prompts' cards, and statements residents proposed (`resident_statements`), wait here.
function moderated(prompt) {
  if (prompt.state === 'pending') return false;
  return prompt.kind === 'open' || (prompt.kind === 'statements' && Boolean(prompt.resident_statements));
}

const CARD_WORDS = {
  title: 'console.moderation.title', empty: 'console.moderation.empty',
  approve: 'console.moderation.approve', approve_label: 'console.moderation.approve_label',
  hide: 'console.moderation.hide', hide_label: 'console.moderation.hide_label',
};
const PROPOSAL_WORDS = {
  title: 'console.proposals.title', empty: 'console.proposals.empty',
  approve: 'console.proposals.approve', approve_label: 'console.proposals.approve_label',
  hide: 'console.proposals.hide', hide_label: 'console.proposals.hide_label',
  approved: 'console.proposals.approved', hidden: 'console.proposals.hidden',
};

function ModerationQueue({ session, prompt, pending }) {
  const [cards, setCards] = useState(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const heading = useRef(null);
  const words = prompt.kind === 'statements' ? PROPOSAL_WORDS : CARD_WORDS;
  const path = sessionPath(session.id, `/prompts/${encodeURIComponent(prompt.id)}/cards?status=pending`);
  const load = () => get(path).then(setCards).catch((failure) => setError(failure.message));
  useEffect(() => {
    load();
  }, [pending, prompt.id]);
  const moderate = async (card, status) => {
    setError('');
    setDone('');
    try {
      await post(sessionPath(session.id, `/cards/${encodeURIComponent(card.id)}/moderate`), { status });
      setCards((list) => (list || []).filter((c) => c.id !== card.id));
      if (words[status]) setDone(t(words[status]));
      // The pressed button is gone with its card: keep focus in the queue.
      heading.current?.focus();
    } catch (failure) {
      setError(failure.message);
    }
  };
  const categories = Object.fromEntries((prompt.categories || []).map((c) => [c.id, c.label]));
  return html`<section class="moderation" aria-labelledby=${`mod-${prompt.id}`}>
    <h3 id=${`mod-${prompt.id}`} tabindex="-1" ref=${heading}>${t(words.title)} <span class="muted">(${cards ? cards.length : '…'})</span></h3>
    <p class="error-text" role="alert">${error}</p>
    <p class="status" role="status">${done}</p>
    ${cards && !cards.length ? html`<p class="muted">${t(words.empty)}</p>` : null}
    ${cards && cards.length ? html`<ul class="moderation__list">
      ${cards.map((card, index) => html`<li class="card-note moderation__card" key=${card.id}>
        <p class="card-note__text" id=${`card-${card.id}`}>${card.text}</p>
        ${card.category ? html`<p class="muted">${categories[card.category] || card.category}</p>` : null}
        <div class="button-row" role="group" aria-labelledby=${`card-${card.id}`}>
          <button type="button" class="button button--primary button--small"
            aria-label=${t(words.approve_label, { n: index + 1 })} onClick=${() => moderate(card, 'approved')}>${t(words.approve)}</button>
          <button type="button" class="button button--small"
            aria-label=${t(words.hide_label, { n: index + 1 })} onClick=${() => moderate(card, 'hidden')}>${t(words.hide)}</button>
        </div>
      </li>`)}
    </ul>` : null}
  </section>`;
}
