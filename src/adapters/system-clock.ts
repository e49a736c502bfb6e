import { randomBytes } from 'node:crypto';
import type { Clock, Ids } from '../ports/clock.ts';

/** Real time. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Short, URL-safe, unique ids (time-ordered prefix helps when reading logs). */
export const randomIds: Ids = {
  next: () => `${Date.now().toString(36)}${randomBytes(6).toString('base64url')}`,
};
