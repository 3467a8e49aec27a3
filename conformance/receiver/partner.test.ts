// Partner mode against real receivers on loopback: a correct one (verifies as the spec's
// "receiver's duties" say) passes every case; a naive one (accepts everything) fails every
// tampered case; receivers with one duty missing fail exactly that case. Also the command's
// exit codes (0/1/2), its reports (the JSON report valid against its generated schema) and
// that the secret never appears in what it prints or writes.
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import AjvModule from 'ajv';
import { SpecIndex } from '../spec.ts';
import { runPartner } from './partner.ts';
import { PARTNER_CASES } from './partner-cases.ts';
import { runReceiverCommand } from './partner-cli.ts';
import { docsVerify, startTestReceiver, type TestReceiver } from './test-receivers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const spec = SpecIndex.load(path.join(root, 'generated', 'openapi.json'));
const SECRET = 'whsec_PartnerModeTestSecret0123456789';
const started: TestReceiver[] = [];
afterAll(async () => { await Promise.all(started.map((r) => r.close())); });

async function receiver(kind: 'correct' | 'naive'): Promise<TestReceiver> {
  const r = await startTestReceiver(kind, SECRET);
  started.push(r);
  return r;
}

/** A receiver with one duty left out, to prove each case detects exactly its own flaw. */
async function flawed(flaw: 'no-staleness' | 'reserialises' | 'accepts-missing'): Promise<TestReceiver> {
  const seen: TestReceiver['seen'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const header = req.headers['x-chaozcode-signature'] as string | undefined;
      let ok: boolean;
      const event = JSON.parse(raw.toString('utf8'));
      if (flaw === 'reserialises') ok = header === `sha256=${createHmac('sha256', SECRET).update(JSON.stringify(event)).digest('hex')}`;
      else if (flaw === 'accepts-missing' && header === undefined) ok = true;
      else ok = docsVerify(raw, header, SECRET);
      if (ok && flaw !== 'no-staleness' && Date.now() - Date.parse(event.createdAt) > 300_000) ok = false;
      res.writeHead(ok ? 200 : 400).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const r: TestReceiver = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, seen, close: () => new Promise((res) => { server.close(() => res()); server.closeAllConnections(); }) };
  started.push(r);
  return r;
}

function failedCases(outcomes: { caseId: string; passed: boolean }[]): string[] {
  return [...new Set(outcomes.filter((o) => !o.passed).map((o) => o.caseId))].sort();
}

describe('runPartner', () => {
  it('a correct receiver passes every case for every event type of the spec', async () => {
    const r = await receiver('correct');
    const run = await runPartner({ url: r.url, secret: SECRET, spec });
    expect(run.fatal).toBeUndefined();
    expect(run.eventTypes).toEqual(Object.keys(spec.doc.webhooks));
    expect(run.outcomes).toHaveLength(run.eventTypes.length * PARTNER_CASES.length);
    expect(failedCases(run.outcomes)).toEqual([]);
    expect(r.seen.filter((s) => s.status < 300)).toHaveLength(run.eventTypes.length);
  });

  it('a naive receiver fails every tampered case and no signed one', async () => {
    const run = await runPartner({ url: (await receiver('naive')).url, secret: SECRET, spec });
    expect(failedCases(run.outcomes)).toEqual(PARTNER_CASES.filter((c) => c.expect === '4xx').map((c) => c.id).sort());
  });

  it.each([
    ['no-staleness', ['receiver-rejects-stale']],
    ['reserialises', ['receiver-rejects-reserialised-body']],
    ['accepts-missing', ['receiver-rejects-missing-signature']],
  ] as const)('a receiver with the flaw %s fails exactly %j', async (flaw, want) => {
    const run = await runPartner({ url: (await flawed(flaw)).url, secret: SECRET, spec });
    expect(failedCases(run.outcomes)).toEqual([...want]);
  });

  it('a receiver that is not there is fatal, not a list of failures', async () => {
    const r = await receiver('correct');
    await r.close();
    const run = await runPartner({ url: r.url, secret: SECRET, spec });
    expect(run.fatal).toMatch(/could not be reached: ECONNREFUSED/);
    expect(run.outcomes).toEqual([]);
  });

  it('a receiver that never answers is bounded: three silent requests stop the run', async () => {
    const server = createServer(() => { /* never answers */ });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const t0 = Date.now();
    const run = await runPartner({ url, secret: SECRET, spec, timeoutMs: 150 });
    server.closeAllConnections();
    server.close();
    expect(run.outcomes).toHaveLength(3);
    expect(run.outcomes[0].error).toMatch(/no answer within 150 ms/);
    expect(run.fatal).toMatch(/did not answer 3 requests in a row/);
    expect(Date.now() - t0).toBeLessThan(3_000);
  });
});

describe('the receiver command', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-partner-'));
  const capture = () => {
    const lines: string[] = [];
    return { lines, io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
  };

  it('exits 0 for a correct receiver, prints the table and writes valid reports without the secret', async () => {
    const { lines, io } = capture();
    const json = path.join(dir, 'ok.json');
    const junit = path.join(dir, 'ok.xml');
    const code = await runReceiverCommand({ url: (await receiver('correct')).url, secret: SECRET, json, junit }, {}, io);
    expect(code).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/memory\.stored\s+✔ 204/);
    expect(text).toMatch(/PASS: 63 of 63/);
    expect(text).toContain('whsec_Pa…');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.exitCode).toBe(0);
    for (const file of [json, junit]) expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
    expect(text).not.toContain(SECRET);
    const schemaFile = path.join(root, 'generated', 'conformance-report.schema.json');
    if (existsSync(schemaFile)) {
      const Ajv = (AjvModule as any).default ?? AjvModule;
      const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('exits 1 for a naive receiver and names the failing cases', async () => {
    const { lines, io } = capture();
    const code = await runReceiverCommand({ url: (await receiver('naive')).url, secret: SECRET, json: path.join(dir, 'naive.json') }, {}, io);
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/✘ receiver-rejects-wrong-secret: 9 of 9 event types answered 200, expected 4xx/);
    const report = JSON.parse(readFileSync(path.join(dir, 'naive.json'), 'utf8'));
    expect(report.summary.checks).toEqual({ passed: 1, failed: PARTNER_CASES.length - 1, skipped: 0 });
    expect(report.findings[0].curl).toMatch(/^curl .* -H 'x-chaozcode-signature: sha256=[0-9a-f]{64}'/);
  });

  it.each([
    [{ secret: SECRET }, /needs --url/],
    [{ url: 'ftp://example.com/x', secret: SECRET }, /must be http/],
    [{ url: 'not a url', secret: SECRET }, /not a URL/],
    [{ url: 'http://127.0.0.1:9/' }, /needs the webhook secret/],
    [{ url: 'http://127.0.0.1:9/', secret: SECRET, timeout: 'soon' }, /--timeout must be an integer/],
  ])('exits 2 on bad usage %j', async (flags, message) => {
    const { lines, io } = capture();
    expect(await runReceiverCommand(flags, {}, io)).toBe(2);
    expect(lines.join('\n')).toMatch(message);
  });

  it('exits 2 when the receiver is unreachable, and takes the secret from the environment', async () => {
    const r = await receiver('correct');
    await r.close();
    const { lines, io } = capture();
    expect(await runReceiverCommand({ url: r.url }, { CHAOZCODE_WEBHOOK_SECRET: SECRET }, io)).toBe(2);
    expect(lines.join('\n')).toMatch(/cannot run: the receiver at .* could not be reached/);
  });

  it('runs as `chaozcode-conformance receiver` from the command line', async () => {
    const r = await receiver('naive');
    // Asynchronous on purpose: the receiver lives in this process and must keep answering.
    const res = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(root, 'conformance', 'cli.ts'), 'receiver', '--url', r.url, '--secret', SECRET, '--json', path.join(dir, 'cli.json')], { encoding: 'utf8', timeout: 30_000 })
      .then((ok) => ({ ...ok, status: 0 }), (err) => ({ stdout: String(err.stdout), stderr: String(err.stderr), status: err.code as number }));
    expect(res.status, res.stderr).toBe(1);
    expect(res.stdout).toMatch(/FAIL: 9 of 63/);
    expect(res.stdout + res.stderr).not.toContain(SECRET);
    expect(existsSync(path.join(dir, 'cli.json'))).toBe(true);
  }, 40_000);
});
