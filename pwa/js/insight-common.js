// Shared by the insight views (insight-statements.js, insight-dilemma.js) and charts.js:
// reading the staff-only insight fields of a tally, and small hooks for the views.
import { html, useMemo, useRef, useEffect } from './html.js';

// The server ranks every statement by group-aware consensus and marks with `binds` the ones
// that most of every group agrees with (insight/compare.py `binds`): only those "bind the room".
export function bindingStatements(tally) {
  return (tally.bridging || []).filter((b) => b.binds);
}

let insightIds = 0;
export const useId = (prefix) => useMemo(() => `${prefix}-${(insightIds += 1)}`, []);

// The projector has no scrolling: a text column steps its type down (data-fit 0..4, sizes in
// insight.css) until it fits, again whenever its content or the screen changes.
const FIT_STEPS = 4;
export function useFit(content) {
  const ref = useRef(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const fit = () => {
      let step = 0;
      element.dataset.fit = '0';
      while (step < FIT_STEPS && element.scrollHeight > element.clientHeight + 1) {
        step += 1;
        element.dataset.fit = String(step);
      }
    };
    fit();
    if (typeof ResizeObserver === 'undefined') return undefined;
    let width = element.clientWidth;
    let height = element.clientHeight;
    const observer = new ResizeObserver(() => {
      if (element.clientWidth === width && element.clientHeight === height) return;
      width = element.clientWidth;
      height = element.clientHeight;
      fit();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [content]);
  return ref;
}

export const Heading = ({ level, className, children, id }) => html`<${`h${level}`} class=${className} id=${id}>${children}<//>`;
