// status-code-declared: every response's status is one the operation declares (exact, `4XX`
// range or `default`). Passive: judges every exchange that maps to an operation.
// Limits: requests to unknown paths or undeclared methods map to no operation and are judged
// by not-found and method-not-allowed instead.
import type { Check } from '../types.ts';

export const statusCodeDeclared: Check = {
  id: 'status-code-declared',
  title: 'Status codes are declared',
  description: 'Every status an operation answers is declared in its `responses` (exact code, range or default).',
  inspect(ctx, ex) {
    if (!ex.response || !ex.operationId) return [];
    const op = ctx.spec.operation(ex.operationId);
    if (!op || ctx.spec.response(op, ex.response.status)) return [];
    const declared = op.responses.map((r) => r.key).join(', ');
    return [{
      message: `${op.method} ${op.path} answered ${ex.response.status}, which ${op.operationId} does not declare (declared: ${declared}); declare it in the contract or answer a declared status`,
      pointer: '/status', expected: declared, actual: String(ex.response.status),
    }];
  },
};
