// A small step runner for stateful scenarios (resource-lifecycle): each step sends one request
// and states the statuses and facts it expects; the first broken expectation is reported with
// its exchange and ends the scenario, a 429 or a transport failure skips it.
// Limits: steps run one after the other; a scenario is one test case.
import type { CheckContext, Exchange, OutgoingRequest } from '../types.ts';
import { fillPath } from '../request-builder.ts';
import { said } from './util.ts';

class Stop extends Error {}

export class Scenario {
  constructor(private readonly ctx: CheckContext, readonly name: string) {}

  /** The path of an operation by id, with its parameters filled; throws Stop when it is missing. */
  path(operationId: string, params: Record<string, string> = {}): { method: string; path: string; operationId: string } {
    const op = this.ctx.spec.operation(operationId);
    if (!op) {
      this.ctx.skip(this.name, `the contract has no ${operationId} operation`);
      throw new Stop();
    }
    return { method: op.method, path: fillPath(op.path, params), operationId };
  }

  async step(label: string, req: OutgoingRequest, expect: number[], facts?: (ex: Exchange, body: any) => string | undefined): Promise<{ ex: Exchange; body: any }> {
    const ex = await this.ctx.send(req);
    if (!ex.response) {
      this.ctx.skip(this.name, `${label}: no answer (${ex.error?.message})`);
      throw new Stop();
    }
    if (ex.response.status === 429) {
      this.ctx.skip(this.name, `${label}: rate limited (429) even after waiting; rerun later`);
      throw new Stop();
    }
    if (!expect.includes(ex.response.status)) {
      this.ctx.fail({ operationId: this.name, exchange: ex, pointer: '/status', message: `${label}: ${said(ex)}; expected ${expect.join(' or ')}`, expected: expect.join(' | '), actual: String(ex.response.status) });
      throw new Stop();
    }
    const body = ex.response.json;
    const problem = facts?.(ex, body);
    if (problem) {
      this.ctx.fail({ operationId: this.name, exchange: ex, message: `${label}: ${problem}`, actual: JSON.stringify(body)?.slice(0, 300) });
      throw new Stop();
    }
    return { ex, body };
  }

  /** Report a broken expectation found outside a step, and end the scenario. */
  fail(message: string, exchange?: Exchange): never {
    this.ctx.fail({ operationId: this.name, exchange, message });
    throw new Stop();
  }

  /** Run the scenario's steps; passes when every step held. */
  async run(steps: () => Promise<void>): Promise<void> {
    try {
      await steps();
      this.ctx.pass(this.name);
    } catch (err) {
      if (!(err instanceof Stop)) throw err;
    }
  }
}
