// key-permissions (D4): a readonly key may only read: every non-GET operation answers it 403,
// while its GETs are not refused (not 401/403). A restricted key may only use the API areas
// (operation tags) in its scopes: other operations answer 403, its own are not refused.
// Limits: the restricted key's scopes come from the configuration (`restrictedScopes`, set by
// --demo-keys); without them those cases are skipped. Requests use made-up ids, so an allowed
// call may well answer 404; only 401/403 count as refusals, and a 5xx to an allowed call is
// skipped (it shows nothing about the key).
import type { Check, CheckContext, KeyRole } from '../types.ts';
import type { OperationInfo } from '../spec.ts';
import { representative } from '../request-builder.ts';
import { caseName, each, inconclusive, said } from './util.ts';

async function probe(ctx: CheckContext, op: OperationInfo, role: KeyRole, allowed: boolean, why: string): Promise<void> {
  const name = caseName(op, role);
  const ex = await ctx.send({ ...representative(ctx.spec, op, ctx.runId, `perm-${role}`, ctx.resources.webhookUrl), auth: role });
  if (inconclusive(ctx, ex, name)) return;
  const status = ex.response!.status;
  // A server error tells nothing about the key; it is positive-input's and status-code-declared's.
  if (allowed && status >= 500) return ctx.skip(name, `answered ${status}: a server error shows neither that the key is allowed nor refused`);
  if (allowed && (status === 401 || status === 403)) {
    ctx.fail({ operationId: name, exchange: ex, pointer: '/status', message: `${said(ex)} with the ${role} key, which ${why}; it must not be refused`, expected: 'not 401/403', actual: String(status) });
  } else if (!allowed && status !== 403) {
    ctx.fail({ operationId: name, exchange: ex, pointer: '/status', message: `${said(ex)} with the ${role} key, which ${why}; D4: 403 FORBIDDEN`, expected: '403', actual: String(status) });
  } else {
    ctx.pass(name);
  }
}

export const keyPermissions: Check = {
  id: 'key-permissions',
  title: 'Key types are enforced',
  description: 'Readonly keys get 403 on writes and are not refused on reads; restricted keys get 403 outside their scopes and are not refused inside them (D4).',
  async run(ctx) {
    const ops = ctx.operations().filter((o) => o.authenticated);
    const scopes = ctx.config.restrictedScopes;
    await each(ops, async (op) => {
      const read = op.method === 'GET' || op.method === 'HEAD';
      if (!ctx.config.keys.readonly) ctx.skip(caseName(op, 'readonly'), 'needs the readonly key (--key readonly=... or CHAOZCODE_KEY_READONLY)');
      else await probe(ctx, op, 'readonly', read, read ? 'may read' : `may not ${op.method}`);
      if (!ctx.config.keys.restricted) ctx.skip(caseName(op, 'restricted'), 'needs the restricted key (--key restricted=... or CHAOZCODE_KEY_RESTRICTED)');
      else if (!scopes) ctx.skip(caseName(op, 'restricted'), 'the restricted key\'s scopes are unknown (--restricted-scopes or restrictedScopes)');
      else {
        const inScope = op.scope !== undefined && scopes.includes(op.scope);
        await probe(ctx, op, 'restricted', inScope, inScope ? `has scope ${op.scope}` : `lacks scope ${op.scope} (has ${scopes.join(', ') || 'none'})`);
      }
    });
  },
};
