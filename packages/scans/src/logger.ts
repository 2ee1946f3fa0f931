/** The logger calls a scan makes: a pino logger, or anything with the same two methods. */
export interface ScanLogger {
  info(fields: Record<string, unknown>, message: string): void;
  child(bindings: Record<string, unknown>): ScanLogger;
}
