// Radio groups and checkbox groups that look like big buttons: real inputs inside a fieldset
// with a legend, so keyboards and screen readers work as with any form.
import { html } from './html.js';
import { t } from './i18n.js';

function Chip({ type, name, id, value, checked, onChange, children }) {
  return html`<label class="chip" for=${id}>
    <input class="chip__input" type=${type} id=${id} name=${name} value=${value} checked=${checked} onChange=${onChange} />
    <span class="chip__face">${children}</span>
  </label>`;
}

function describedBy(...ids) {
  const list = ids.filter(Boolean).join(' ');
  return list || undefined;
}

// One value (or null). `clearable`: a button to go back to "not given" (radios cannot be unticked).
export function ChoiceGroup({ id, legend, hint, error, layout = 'wrap', options, value, onPick, clearable = false }) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const clear = () => {
    onPick(null);
    document.getElementById(`${id}-${options[0].value}`)?.focus();
  };
  return html`<fieldset class=${`fieldset choice-group choice-group--${layout}`} id=${id}
      aria-describedby=${describedBy(hintId, error ? errorId : null)}>
    <legend class="choice-group__legend">${legend}</legend>
    ${hint ? html`<p class="hint" id=${hintId}>${hint}</p>` : null}
    ${error !== undefined ? html`<p class="error-text" id=${errorId} role="alert">${error}</p>` : null}
    <div class="chips">
      ${options.map((option) => html`<${Chip} key=${option.value} type="radio" name=${id} id=${`${id}-${option.value}`}
        value=${String(option.value)} checked=${value === option.value} onChange=${() => onPick(option.value)}>${option.label}</${Chip}>`)}
    </div>
    ${clearable && value !== null && value !== undefined
      ? html`<button type="button" class="button button--quiet button--small choice-group__clear" onClick=${clear}>${t('canvass.form.clear')}</button>`
      : null}
  </fieldset>`;
}

// Any number of values (a list, in the order of the options).
export function ToggleGroup({ id, legend, hint, options, values, onChange }) {
  const hintId = hint ? `${id}-hint` : null;
  const toggle = (option) => {
    const on = new Set(values);
    if (on.has(option)) on.delete(option);
    else on.add(option);
    onChange(options.map((o) => o.value).filter((v) => on.has(v)));
  };
  return html`<fieldset class="fieldset choice-group choice-group--wrap" id=${id} aria-describedby=${describedBy(hintId)}>
    <legend class="choice-group__legend">${legend}</legend>
    ${hint ? html`<p class="hint" id=${hintId}>${hint}</p>` : null}
    <div class="chips">
      ${options.map((option, index) => html`<${Chip} key=${option.value} type="checkbox" name=${id} id=${`${id}-${index}`}
        value=${option.value} checked=${values.includes(option.value)} onChange=${() => toggle(option.value)}>${option.label}</${Chip}>`)}
    </div>
  </fieldset>`;
}
