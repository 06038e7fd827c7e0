// The fixed lists of a canvassing note (the server's slugs) and their labels, plus the clock.
import { useState, useEffect } from './html.js';
import { t, has, lang } from './i18n.js';

export const OUTCOMES = ['not_home', 'declined', 'brief', 'conversation', 'come_back'];
export const PARTS_OF_DAY = ['morning', 'afternoon', 'evening'];
export const US_THEM_ABOUT = ['newcomers', 'government', 'youth', 'elderly', 'neighbours', 'other_neighbourhood',
  'faith_group', 'population_group', 'politics', 'media', 'other'];
export const INCIDENTS = ['nuisance', 'vandalism', 'intimidation', 'discrimination', 'violence', 'crime', 'traffic', 'other'];
export const WANTS = ['yes', 'no', 'maybe'];
export const LEVELS = [1, 2, 3, 4, 5];
export const MAX_TEXT = 280;

// `kind` is topic, about, incident, outcome, part or wants. An organiser's own topic has no
// translation and is shown as typed.
export function label(kind, slug) {
  const key = `canvass.${kind}.${slug}`;
  return has(key) ? t(key) : slug;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

export function localDay(date = new Date()) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function partOfDay(date = new Date()) {
  const hour = date.getHours();
  if (hour < 12) return 'morning';
  if (hour < 18) return 'afternoon';
  return 'evening';
}

export function formatDay(day, today = localDay()) {
  if (day === today) return t('canvass.form.today');
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(lang.value, { weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(y, m - 1, d));
}

export function formatTime(ms) {
  return new Intl.DateTimeFormat(lang.value, { hour: '2-digit', minute: '2-digit' }).format(new Date(ms));
}

export function formatDate(ms) {
  return new Intl.DateTimeFormat(lang.value, { day: 'numeric', month: 'long' }).format(new Date(ms));
}

// The time, refreshed every half minute: part of day and "older than a day" follow the clock.
export function useClock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(id);
  }, []);
  return now;
}
