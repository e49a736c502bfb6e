/** The subset of pino's logger the code uses, so core and commands never import pino. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
  /** Whether a line at `level` would be written (pino's); lets a lazy child skip making itself. */
  isLevelEnabled?(level: string): boolean;
}
