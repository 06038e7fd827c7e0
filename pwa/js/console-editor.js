// The prompt list of a session: add, edit, delete and reorder prompts.
import { html, useState } from './html.js';
import { t, tn } from './i18n.js';
import { post, put, patch, del } from './api.js';
import { PromptStateBadge, sessionPath } from './console-common.js';
import { PromptForm } from './console-prompt-form.js';

export const KINDS = ['dilemma', 'scale', 'choice', 'open', 'words', 'statements'];

export function sortedPrompts(session) {
  return [...(session.prompts || [])].sort((a, b) => a.position - b.position);
}

export function PromptEditor({ session, reload }) {
  const prompts = sortedPrompts(session);
  const [editing, setEditing] = useState(null); // prompt id, or `new:<kind>`
  const [newKind, setNewKind] = useState('dilemma');
  const [confirming, setConfirming] = useState(null);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const closed = session.state === 'closed';

  const act = async (work, done) => {
    setError('');
    setStatus('');
    try {
      await work();
      await reload();
      if (done) setStatus(done);
    } catch (failure) {
      setError(failure.message);
    }
  };
  const move = (index, delta) => {
    const ids = prompts.map((p) => p.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + delta, 0, moved);
    return act(() => put(sessionPath(session.id, '/prompts/order'), { prompt_ids: ids }),
      t('console.prompts.moved', { title: prompts[index].title }));
  };
  const remove = (prompt) => act(async () => {
    await del(sessionPath(session.id, `/prompts/${encodeURIComponent(prompt.id)}`));
    setConfirming(null);
  }, t('console.prompts.deleted', { title: prompt.title }));
  const save = (prompt) => async (body) => {
    if (prompt) await patch(sessionPath(session.id, `/prompts/${encodeURIComponent(prompt.id)}`), body);
    else await post(sessionPath(session.id, '/prompts'), body);
    setEditing(null);
    await reload();
    setStatus(t('console.prompts.saved'));
  };

  return html`<section class="panel prompt-editor" aria-labelledby="prompts-title">
    <h2 id="prompts-title">${t('console.prompts.title')} <span class="muted">(${prompts.length})</span></h2>
    <p class="error-text" role="alert">${error}</p>
    <p class="status" role="status">${status}</p>
    ${prompts.length ? null : html`<p>${t('console.prompts.empty')}</p>`}
    <ol class="prompt-list">
      ${prompts.map((prompt, index) => html`<li class="prompt-item" key=${prompt.id}>
        <div class="prompt-item__head">
          <span class="kind-badge">${t(`kind.${prompt.kind}`)}</span>
          ${prompt.phase ? html`<span class="muted">${t(`phase.${prompt.phase}`)}</span>` : null}
          ${session.state !== 'draft' ? html`<${PromptStateBadge} state=${prompt.state} />` : null}
          ${prompt.answers ? html`<span class="muted">${tn('console.prompts.answers', prompt.answers)}</span>` : null}
        </div>
        <p class="prompt-item__title">${prompt.title}</p>
        ${prompt.notes ? html`<details class="notes"><summary>${t('console.prompts.notes')}</summary><p class="notes__text">${prompt.notes}</p></details>` : null}
        ${closed ? null : html`<div class="button-row">
          <button type="button" class="button button--small" disabled=${index === 0}
            aria-label=${t('console.prompts.up_label', { title: prompt.title })} onClick=${() => move(index, -1)}>${t('console.prompts.up')}</button>
          <button type="button" class="button button--small" disabled=${index === prompts.length - 1}
            aria-label=${t('console.prompts.down_label', { title: prompt.title })} onClick=${() => move(index, 1)}>${t('console.prompts.down')}</button>
          <button type="button" class="button button--small" aria-expanded=${editing === prompt.id ? 'true' : 'false'}
            aria-label=${t('console.prompts.edit_label', { title: prompt.title })}
            onClick=${() => setEditing(editing === prompt.id ? null : prompt.id)}>${t('console.prompts.edit')}</button>
          <button type="button" class="button button--small button--danger"
            aria-label=${t('console.prompts.delete_label', { title: prompt.title })}
            onClick=${() => setConfirming(prompt.id)}>${t('console.prompts.delete')}</button>
        </div>`}
        ${confirming === prompt.id ? html`<div class="confirm" role="group" aria-labelledby=${`confirm-${prompt.id}`}>
          <p id=${`confirm-${prompt.id}`}>${t('console.prompts.delete_confirm', { title: prompt.title })}</p>
          <div class="button-row">
            <button type="button" class="button button--danger" onClick=${() => remove(prompt)}>${t('console.prompts.delete_yes')}</button>
            <button type="button" class="button" onClick=${() => setConfirming(null)}>${t('common.cancel')}</button>
          </div>
        </div>` : null}
        ${editing === prompt.id ? html`<${PromptForm} kind=${prompt.kind} initial=${prompt}
          onSave=${save(prompt)} onCancel=${() => setEditing(null)} />` : null}
      </li>`)}
    </ol>
    ${closed ? null : html`<div class="add-prompt">
      ${editing && editing.startsWith('new:') ? html`<${PromptForm} kind=${editing.slice(4)}
          onSave=${save(null)} onCancel=${() => setEditing(null)} />` : html`<div class="inline-form">
        <div class="field">
          <label class="label" for="new-prompt-kind">${t('console.prompts.new_kind')}</label>
          <select id="new-prompt-kind" class="select" value=${newKind} onChange=${(e) => setNewKind(e.currentTarget.value)}>
            ${KINDS.map((kind) => html`<option key=${kind} value=${kind}>${t(`kind.${kind}`)}</option>`)}
          </select>
        </div>
        <button type="button" class="button button--primary" onClick=${() => setEditing(`new:${newKind}`)}>${t('console.prompts.add')}</button>
      </div>`}
    </div>`}
  </section>`;
}
