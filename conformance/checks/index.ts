// The check registry: id -> check. One file per check, named by its id. To add a check,
// import it here and give it a default severity in preset.ts (see types.ts, "HOW TO EXTEND").
// Limits: the order here is the order of the reports; it does not affect execution.
import type { Check } from '../types.ts';
import { authRequired } from './auth-required.ts';
import { contentType } from './content-type.ts';
import { errorEnvelope } from './error-envelope.ts';
import { keyPermissions } from './key-permissions.ts';
import { methodNotAllowed } from './method-not-allowed.ts';
import { negativeInput } from './negative-input.ts';
import { notFound } from './not-found.ts';
import { positiveInput } from './positive-input.ts';
import { rateLimitEnforcement } from './rate-limit-enforcement.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';
import { requestId } from './request-id.ts';
import { resourceLifecycle } from './resource-lifecycle.ts';
import { responseSchema } from './response-schema.ts';
import { sseStream } from './sse-stream.ts';
import { statusCodeDeclared } from './status-code-declared.ts';
import { statusCoverage } from './status-coverage.ts';
import { transport } from './transport.ts';
import { webhookSignature } from './webhook-signature.ts';

const list: Check[] = [
  statusCodeDeclared, responseSchema, contentType, errorEnvelope, requestId, transport,
  authRequired, keyPermissions, negativeInput, positiveInput, notFound, methodNotAllowed,
  rateLimitHeaders, rateLimitEnforcement, resourceLifecycle, sseStream, webhookSignature, statusCoverage,
];

export const allChecks: Record<string, Check> = Object.fromEntries(list.map((c) => [c.id, c]));
