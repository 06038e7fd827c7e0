// The one fetch wrapper: JSON in and out, same-origin cookies, CSRF header on writes,
// and errors turned into ApiError with a stable code and a translated sentence.
import { t, has, lang } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, message, extra = null, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
    this.retryAfter = retryAfter;
  }
}

const CODE_BY_STATUS = {
  400: 'invalid_body', 401: 'not_authenticated', 403: 'forbidden', 404: 'not_found',
  409: 'wrong_state', 413: 'too_large', 422: 'invalid_value', 429: 'rate_limited',
};

export function errorMessage(code, detail) {
  if (code && has(`error.${code}`)) return t(`error.${code}`);
  return detail || t('error.unknown');
}

export function errorFromBody(status, body) {
  const code = body?.extra?.code || body?.code || CODE_BY_STATUS[status] || 'unknown';
  return new ApiError(status, code, errorMessage(code, body?.detail), body?.extra ?? null);
}

function readCookie(name) {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return '';
}

export async function api(method, path, { body, token, headers } = {}) {
  const sent = { Accept: 'application/json', 'Accept-Language': lang.value, ...headers };
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  if (token) sent.Authorization = `Bearer ${token}`;
  if (method !== 'GET' && method !== 'HEAD') {
    // The server sets this cookie at login, next to the session cookie (double submit).
    const csrf = readCookie('csrftoken');
    if (csrf) sent['x-csrftoken'] = csrf;
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: sent,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (_) {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (_) {
    data = null;
  }
  if (!response.ok) {
    const error = errorFromBody(response.status, data);
    error.retryAfter = response.headers.get('Retry-After');
    throw error;
  }
  return data;
}

export const get = (path, options) => api('GET', path, options);
export const post = (path, body, options = {}) => api('POST', path, { ...options, body });
export const put = (path, body, options = {}) => api('PUT', path, { ...options, body });
export const patch = (path, body, options = {}) => api('PATCH', path, { ...options, body });
export const del = (path, options) => api('DELETE', path, options);
