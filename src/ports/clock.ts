/** Time is a port so state machines and expiry can be tested without sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface Ids {
  /** A new unique, URL-safe identifier. */
  next(): string;
}
