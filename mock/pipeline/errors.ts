// The API's single error envelope (D5) and the exception type stages throw to produce it.
// Limits: codes are the contract's ErrorCode enum; a status without a code maps to INTERNAL_ERROR.
export type ErrorCode =
  | 'INVALID_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'VALIDATION_ERROR'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE';

export const statusOfCode: Record<ErrorCode, number> = {
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  VALIDATION_ERROR: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

const codeOfStatus = new Map<number, ErrorCode>(
  Object.entries(statusOfCode).map(([code, status]) => [status, code as ErrorCode]),
);

/** The error code for an HTTP status; statuses outside the table fall back by class. */
export function codeForStatus(status: number): ErrorCode {
  return codeOfStatus.get(status) ?? (status >= 500 ? 'INTERNAL_ERROR' : 'INVALID_REQUEST');
}

/** One violated rule of a request (D5). */
export interface Violation {
  field: string;
  reason: string;
  message: string;
}

export type ErrorDetails = Record<string, unknown>;

/** Thrown by a stage or handler; the server turns it into the envelope. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details?: ErrorDetails;
  readonly headers?: Record<string, string | number>;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails, headers?: Record<string, string | number>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = statusOfCode[code];
    this.details = details;
    this.headers = headers;
  }
}

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details?: ErrorDetails; requestId: string };
}

export function envelope(code: ErrorCode, message: string, requestId: string, details?: ErrorDetails): ErrorEnvelope {
  return details === undefined
    ? { error: { code, message, requestId } }
    : { error: { code, message, details, requestId } };
}

/** A ready-to-write JSON error body for contexts without a pipeline (clientError). */
export function envelopeBytes(code: ErrorCode, message: string, requestId: string): string {
  return JSON.stringify(envelope(code, message, requestId));
}
