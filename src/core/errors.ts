/**
 * Cairn's one error hierarchy. Every layer throws these; the HTTP layer maps
 * them to status codes (see `httpStatusOf`) and the CLI to exit codes
 * (see `exitCodeOf`). Messages say what was wrong and what to do about it.
 */
export const ERROR_CODES = [
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'INVALID_ARGUMENT',
  'INVALID_STATE',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export const isErrorCode = (v: unknown): v is ErrorCode =>
  typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);

export class CairnError extends Error {
  readonly code: ErrorCode;
  /** Optional structured detail, e.g. the position of a filter parse error. */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export class NotFound extends CairnError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('NOT_FOUND', message, details);
  }
}
export class AlreadyExists extends CairnError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('ALREADY_EXISTS', message, details);
  }
}
export class InvalidArgument extends CairnError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('INVALID_ARGUMENT', message, details);
  }
}
export class InvalidState extends CairnError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('INVALID_STATE', message, details);
  }
}
export class Unauthenticated extends CairnError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('UNAUTHENTICATED', message, details);
  }
}
export class PermissionDenied extends CairnError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('PERMISSION_DENIED', message, details);
  }
}
export class Internal extends CairnError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('INTERNAL', message, details);
  }
}

const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  INVALID_ARGUMENT: 400,
  INVALID_STATE: 409,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  INTERNAL: 500,
};

const EXIT_CODE: Readonly<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 2,
  NOT_FOUND: 3,
  ALREADY_EXISTS: 4,
  INVALID_STATE: 5,
  UNAUTHENTICATED: 6,
  PERMISSION_DENIED: 7,
  INTERNAL: 10,
};

export const httpStatusOf = (code: ErrorCode): number => HTTP_STATUS[code];
export const exitCodeOf = (code: ErrorCode): number => EXIT_CODE[code];

/** Rebuilds the right subclass from a wire `{error_code, message}` body. */
export function errorFromWire(code: unknown, message: string, details?: Record<string, unknown>): CairnError {
  switch (code) {
    case 'NOT_FOUND': return new NotFound(message, details);
    case 'ALREADY_EXISTS': return new AlreadyExists(message, details);
    case 'INVALID_ARGUMENT': return new InvalidArgument(message, details);
    case 'INVALID_STATE': return new InvalidState(message, details);
    case 'UNAUTHENTICATED': return new Unauthenticated(message, details);
    case 'PERMISSION_DENIED': return new PermissionDenied(message, details);
    default: return new Internal(message, details);
  }
}
