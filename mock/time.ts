// Time helpers: RFC 3339 UTC timestamps with `Z` and whole seconds (D3), UTC day boundaries.
// Limits: none worth noting; all arithmetic is on epoch milliseconds from the injected clock.
export const DAY_MS = 86_400_000;

let lastSecond = NaN;
let lastText = '';

/** `2026-01-30T12:00:00Z` (whole seconds); the last second's text is reused. */
export function isoSeconds(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastText;
}

/** Start of the UTC day containing `ms`. */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** `YYYY-MM-DD` of the UTC day containing `ms`. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
