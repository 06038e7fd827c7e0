// Every visible string goes through t(); the tables are /app/i18n/{lang}.json (flat keys).
import { signal } from '../vendor/signals.module.js';

const STORAGE_KEY = 'samenspraak.lang';
export const LANGUAGES = ['nl', 'en'];
export const lang = signal('nl');
const messages = signal({});

export function storedLanguage() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (LANGUAGES.includes(stored)) return stored;
  } catch (_) {
    // Private mode may forbid storage; Dutch is the default anyway.
  }
  return 'nl';
}

export async function setLanguage(code) {
  const wanted = LANGUAGES.includes(code) ? code : 'nl';
  const response = await fetch(`/app/i18n/${wanted}.json`, { credentials: 'same-origin' });
  messages.value = await response.json();
  lang.value = wanted;
  document.documentElement.lang = wanted;
  try {
    localStorage.setItem(STORAGE_KEY, wanted);
  } catch (_) {
    // Not remembering the choice is acceptable.
  }
}

export function has(key) {
  return Object.prototype.hasOwnProperty.call(messages.value, key);
}

export function t(key, params) {
  const text = messages.value[key];
  if (text === undefined) return key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

// Plural: looks up `${key}.one` for 1 and `${key}.other` otherwise; {n} is filled in.
export function tn(key, n, params) {
  return t(`${key}.${n === 1 ? 'one' : 'other'}`, { n: formatNumber(n), ...params });
}

export function formatNumber(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return new Intl.NumberFormat(lang.value, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

export function formatPercent(share) {
  if (share === null || share === undefined) return '–';
  return new Intl.NumberFormat(lang.value, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}
