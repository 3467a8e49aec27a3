// error-envelope: every non-2xx response, on every path known or not, is the single envelope
// `{"error":{"code","message","details"?,"requestId"}}` sent as application/json (D5); its
// code is the one ErrorCode's `x-status-codes` assigns to the status; its requestId equals
// the X-Request-Id header. Passive.
// Limits: the full ErrorResponse schema (details, closed objects) is response-schema's, once
// this check has found the core shape intact; 1xx/3xx responses are not judged.
import type { Check, FindingInput } from '../types.ts';
import { envelopeCore, mediaType } from './util.ts';

export const errorEnvelope: Check = {
  id: 'error-envelope',
  title: 'The single error envelope',
  description: 'Non-2xx responses are application/json {"error":{code,message,details?,requestId}}, code matching the status, requestId equal to X-Request-Id (D5).',
  applies: (ex) => (ex.response?.status ?? 0) >= 400,
  inspect(ctx, ex) {
    const res = ex.response;
    if (!res || res.status < 400) return [];
    const out: FindingInput[] = [];
    const mt = mediaType(ex);
    if (mt !== 'application/json') {
      out.push({ message: `the ${res.status} error is sent as "${mt || 'no Content-Type'}"; D5 wants application/json (never HTML, never problem+json)`, pointer: '/headers/content-type', expected: 'application/json', actual: mt });
    }
    if (res.json === undefined) {
      out.push({ message: `the ${res.status} error body is not JSON (${res.jsonError ?? 'empty'}); D5 wants the error envelope`, pointer: '', actual: res.bodyText.slice(0, 200) });
      return out;
    }
    const shape = envelopeCore(res.json);
    if ('problem' in shape) {
      out.push({ message: `the ${res.status} body is not the error envelope: ${shape.problem}`, pointer: shape.pointer, actual: JSON.stringify(res.json).slice(0, 300) });
      return out;
    }
    const { code, requestId } = shape.core;
    const want = ctx.spec.errorCodeStatus[code];
    if (want === undefined) {
      out.push({ message: `error.code "${code}" is not an ErrorCode of the contract`, pointer: '/error/code', actual: code });
    } else if (want !== res.status) {
      const expected = Object.entries(ctx.spec.errorCodeStatus).filter(([, s]) => s === res.status).map(([c]) => c).join(' or ') || '(no code has this status)';
      out.push({ message: `error.code ${code} belongs to status ${want}, but the status is ${res.status} (expected ${expected})`, pointer: '/error/code', expected, actual: code });
    }
    const header = res.headers['x-request-id'];
    if (header !== undefined && header !== requestId) {
      out.push({ message: `error.requestId "${requestId}" differs from the X-Request-Id header "${header}"`, pointer: '/error/requestId', expected: header, actual: requestId });
    }
    return out;
  },
};
