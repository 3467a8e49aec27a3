// The test oracle must be able to fail: responses that break the contract are reported.
import { describe, expect, it } from 'vitest';
import { conformanceProblems } from './contract-check.ts';

const json = { 'content-type': 'application/json', 'x-request-id': 'req_abc123' };
const rate = { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '1', 'x-ratelimit-retryafter': '0' };

describe('conformanceProblems', () => {
  it('accepts a conforming answer', () => {
    expect(conformanceProblems('GET', '/models', { status: 200, headers: { ...json, ...rate }, text: '{"models":[]}' })).toEqual([]);
  });

  it.each([
    ['a body breaking the schema', { status: 200, headers: { ...json, ...rate }, text: '{"models":[{}]}' }, /body/],
    ['an undeclared status', { status: 409, headers: { ...json, ...rate }, text: '{"error":{"code":"CONFLICT","message":"x","requestId":"req_abc123"}}' }, /not declared/],
    ['a missing rate-limit header', { status: 200, headers: json, text: '{"models":[]}' }, /X-RateLimit-Limit/],
    ['a problem+json error', { status: 401, headers: { 'content-type': 'application/problem+json', 'x-request-id': 'req_abc123', 'www-authenticate': 'Bearer' }, text: '{"type":"x","title":"y","status":401}' }, /content-type|envelope/],
    ['a requestId that differs from the header', { status: 401, headers: { ...json, 'www-authenticate': 'Bearer' }, text: '{"error":{"code":"UNAUTHORIZED","message":"x","requestId":"req_other"}}' }, /requestId/],
    ['no X-Request-Id', { status: 200, headers: { 'content-type': 'application/json', ...rate }, text: '{"models":[]}' }, /X-Request-Id/],
  ])('reports %s', (_name, res, problem) => {
    const problems = conformanceProblems('GET', '/models', res);
    expect(problems.join('\n')).toMatch(problem);
  });
});
