// The route table: fixed paths win over templates, 404 for unknown paths, 405 with the allowed
// methods, percent-decoded parameters, HEAD served by GET; built from a small inline operation list.
import { describe, expect, it } from 'vitest';
import { Router, type RouteOperation } from './router.ts';

const ops: RouteOperation[] = [
  { operationId: 'getStats', method: 'GET', path: '/memory/stats' },
  { operationId: 'store', method: 'POST', path: '/memory/store' },
  { operationId: 'getMemory', method: 'GET', path: '/memory/{id}' },
  { operationId: 'putMemory', method: 'PUT', path: '/memory/{id}' },
  { operationId: 'test', method: 'POST', path: '/webhooks/{webhookId}/test' },
  { operationId: 'deleteHook', method: 'DELETE', path: '/webhooks/{webhookId}' },
];
const router = new Router(ops);

describe('router', () => {
  it.each([
    ['GET', '/memory/stats', 'getStats', {}],
    ['GET', '/memory/abc', 'getMemory', { id: 'abc' }],
    ['PUT', '/memory/a%20b', 'putMemory', { id: 'a b' }],
    ['HEAD', '/memory/abc', 'getMemory', { id: 'abc' }],
    ['POST', '/webhooks/whk_1/test', 'test', { webhookId: 'whk_1' }],
    ['DELETE', '/webhooks/whk_1', 'deleteHook', { webhookId: 'whk_1' }],
  ])('%s %s -> %s', (method, path, operationId, params) => {
    const r = router.match(method, path);
    expect(r.kind).toBe('match');
    if (r.kind === 'match') {
      expect(r.op.operationId).toBe(operationId);
      expect(r.params).toEqual(params);
    }
  });

  it.each([
    ['GET', '/memory/store', ['POST']],
    ['DELETE', '/memory/stats', ['GET']],
    ['POST', '/memory/abc', ['GET', 'PUT']],
  ])('%s %s -> 405, allow %j (a fixed path never falls through to a template)', (method, path, allow) => {
    expect(router.match(method, path)).toEqual({ kind: 'method-not-allowed', allow });
  });

  it.each(['/memory', '/memory/', '/memory/a/b', '/nothing', '/memory/%E0%A4%A', '/webhooks//test'])('%s -> 404', (path) => {
    expect(router.match('GET', path).kind).toBe('not-found');
  });

  it('keeps `..` as a literal id (no normalisation), for the pattern check to refuse', () => {
    expect(router.match('GET', '/memory/..')).toMatchObject({ kind: 'match', params: { id: '..' } });
  });
});
