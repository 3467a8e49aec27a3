// response-schema: a response's body validates against the schema its operation declares for
// the status and media type (ajv, draft 2020-12, strict), errors included; declared headers
// are present when required and match their schemas. Passive.
// Ownership: headers listed in HEADER_OWNERS are their checks'; an undeclared status is
// status-code-declared's, an undeclared media type content-type's or error-envelope's, a
// broken envelope core error-envelope's; event-stream bodies are sse-stream's.
// Limits: reports at most MAX_VIOLATIONS violations per response.
import { HEADER_OWNERS, type Check, type Exchange, type FindingInput, type InspectContext } from '../types.ts';
import type { ResponseInfo } from '../spec.ts';
import { envelopeCore, is2xx, mediaType } from './util.ts';

const MAX_VIOLATIONS = 5;

function headerFindings(ctx: InspectContext, ex: Exchange, declared: ResponseInfo): FindingInput[] {
  const out: FindingInput[] = [];
  for (const [name, h] of Object.entries(declared.headers)) {
    if (HEADER_OWNERS[name]) continue;
    const value = ex.response!.headers[name];
    if (value === undefined) {
      if (h.required) out.push({ message: `required header ${name} is missing from the ${ex.response!.status} response`, pointer: `/headers/${name}` });
      continue;
    }
    if (!h.schema) continue;
    const s = ctx.spec.deref(h.schema);
    const types = Array.isArray(s?.type) ? s.type : [s?.type];
    let v: unknown = value;
    if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(value.trim())) v = Number(value);
    if (types.includes('boolean') && /^(true|false)$/.test(value)) v = value === 'true';
    for (const viol of ctx.spec.registry.validate(h.schema, v).slice(0, MAX_VIOLATIONS)) {
      out.push({ message: `header ${name}: "${value}" ${viol.message.replace(/^\(root\) /, '')}`, pointer: `/headers/${name}`, actual: value });
    }
  }
  return out;
}

export const responseSchema: Check = {
  id: 'response-schema',
  title: 'Bodies and headers match their schemas',
  description: 'Each response body validates against the declared schema for its status and media type (errors too); declared headers are present and valid.',
  inspect(ctx, ex) {
    const res = ex.response;
    if (!res || !ex.operationId) return [];
    const op = ctx.spec.operation(ex.operationId);
    const declared = op && ctx.spec.response(op, res.status);
    if (!declared) return [];
    const out = headerFindings(ctx, ex, declared);
    const mt = mediaType(ex);
    if (res.streamHead || mt === 'text/event-stream' || !(mt in declared.content)) return out;
    const schema = declared.content[mt];
    if (!schema) return out;
    if (!is2xx(res.status) && 'problem' in envelopeCore(res.json)) return out;
    if (res.json === undefined) {
      out.push({ message: `the ${res.status} body is declared ${mt} but is not JSON (${res.jsonError ?? 'empty body'})`, pointer: '', actual: res.bodyText.slice(0, 200) });
      return out;
    }
    const violations = ctx.spec.registry.validate(schema, res.json);
    for (const v of violations.slice(0, MAX_VIOLATIONS)) {
      out.push({ message: `${res.status} body of ${op!.operationId}: ${v.message} (${v.keyword})`, pointer: v.pointer || '/', actual: JSON.stringify(pick(res.json, v.pointer))?.slice(0, 200) });
    }
    if (violations.length > MAX_VIOLATIONS) out.push({ message: `… and ${violations.length - MAX_VIOLATIONS} more schema violations in the same body`, pointer: '/' });
    return out;
  },
};

function pick(root: unknown, pointer: string): unknown {
  let cur: any = root;
  for (const seg of pointer.split('/').slice(1)) cur = cur?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  return cur;
}
