import type { ErrorCode } from './codes.js';

/*
 * CustomsError and the helpers a command needs to raise and print one, without the table of codes:
 * `@customs/errors/customs-error` is what a short-lived process (customs version) imports, so it does
 * not compile the whole table at start. Everything here is also exported by the package root.
 */

const BRAND = Symbol.for('customs.error');

/** Where an error happened, in the terms a user knows: the image they asked for, the layer, the file. */
export interface ErrorContext {
  image?: string;
  layer?: string;
  path?: string;
}

export interface CustomsErrorOptions {
  cause?: unknown;
  /** What the user can do about it. */
  hint?: string;
  context?: ErrorContext;
}

/**
 * Base of every error Customs raises on purpose. Callers switch on `code` (declared in `errorCodes`,
 * stable, documented), never on `message`. Domain errors carry no HTTP status; the API maps codes to
 * statuses in one table.
 */
export class CustomsError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, options: CustomsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.context = { ...options.context };
  }

  get [BRAND](): true {
    return true;
  }

  /** The same error seen from further out: adds the image or layer it happened in, keeps the rest. */
  within(context: ErrorContext): this {
    const wider = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(wider, this, { context: { ...context, ...this.context } });
    Object.defineProperty(wider, 'message', { value: this.message, enumerable: false });
    Object.defineProperty(wider, 'stack', { value: this.stack, enumerable: false });
    return wider;
  }

  /** One line for a terminal or a log: where, what, and what to do. */
  toLine(): string {
    const where = [
      this.context.image && `image ${this.context.image}`,
      this.context.layer && `layer ${this.context.layer}`,
      this.context.path && `file ${this.context.path}`,
    ].filter(Boolean);
    const hint = this.hint ? ` (${this.hint})` : '';
    return `${where.length ? where.join(', ') + ': ' : ''}${this.message}${hint}`;
  }

  toJSON(): { code: ErrorCode; message: string; hint?: string; context: ErrorContext } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint && { hint: this.hint }),
      context: this.context,
    };
  }
}

/** True for any CustomsError, even one from another loaded copy of this package; optionally of one code. */
export function isCustomsError(error: unknown, code?: ErrorCode): error is CustomsError {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as Record<symbol, unknown>)[BRAND] !== true) return false;
  return code === undefined || (error as CustomsError).code === code;
}

/** A caller passed an option that cannot work; thrown at construction, before any I/O. */
export class InvalidOptionError extends CustomsError {
  constructor(option: string, problem: string, hint?: string) {
    super('INVALID_OPTION', `invalid option ${option}: ${problem}`, hint === undefined ? {} : { hint });
  }
}

/** The user's input (an argument, a file they gave us) is not something we can work with. */
export class InvalidInputError extends CustomsError {
  constructor(message: string, options: CustomsErrorOptions = {}) {
    super('INVALID_INPUT', message, options);
  }
}

/** Render anything thrown as one readable line, without a stack trace. */
export function describeError(error: unknown): string {
  if (isCustomsError(error)) return error.toLine();
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
