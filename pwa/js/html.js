// One place that binds htm to Preact, so screens import `html` and hooks from here.
import { h, render, Fragment } from '../vendor/preact.module.js';
import htm from '../vendor/htm.module.js';

export const html = htm.bind(h);
export { h, render, Fragment };
export { useState, useEffect, useRef, useMemo, useCallback } from '../vendor/hooks.module.js';
export { signal, computed, effect, batch, useSignal, useComputed } from '../vendor/signals.module.js';
