// crypto.randomUUID exists only in secure contexts; a hall's LAN may serve plain http.
export function uuid() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function normaliseJoinCode(text) {
  return (text || '').replace(/[\s-]/g, '').toUpperCase();
}

export function isJoinCode(code) {
  return code.length === 6 && [...code].every((c) => JOIN_CODE_ALPHABET.includes(c));
}
