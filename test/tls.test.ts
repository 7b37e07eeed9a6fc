import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSummary, runCli, startCli, withReference } from './support/cli.js';
import { metrics } from './support/run-files.js';

const RUN = ['--iters', '40', '--eval-every', '100000', '--seed', '17', '--quiet', '--backend', 'js'];
const SECRET = 'tls-test-secret-5f1e9c';

/** A CA and a server certificate for 127.0.0.1 signed by it, made here with openssl. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const at = (f: string) => join(dir, f);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=descent test CA',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    at('server.key'),
    '-out',
    at('server.csr'),
  );
  writeFileSync(at('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  ssl(
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    at('ext.cnf'),
    '-out',
    at('server.pem'),
  );
  return { ca: at('ca.pem'), cert: at('server.pem'), key: at('server.key') };
}

describe('wss:// with a private CA', () => {
  const { out, reference } = withReference(RUN);

  it('serves wss:// to a worker trusting the CA, refuses one that does not, and keeps the token out of every record', async () => {
    const certs = makeCertificates(out.path);
    const tokenFile = join(out.path, 'token');
    writeFileSync(tokenFile, `${SECRET}\n`);
    const dir = join(out.path, 'tls');
    const c = startCli([
      'coordinator',
      '--port',
      '0',
      ...RUN,
      '--out',
      out.path,
      '--name',
      'tls',
      '--tls-cert',
      certs.cert,
      '--tls-key',
      certs.key,
      '--token-file',
      tokenFile,
    ]);
    const [, url] = await c.waitFor(/descent worker --connect (wss:\/\/\S+)/);
    const untrusting = await runCli([
      'worker',
      '--connect',
      url,
      '--backend',
      'js',
      '--token-file',
      tokenFile,
    ]);
    expect(untrusting.code).toBe(1);
    expect(untrusting.stderr).toMatch(/not trusted.*--tls-ca/);
    const w = startCli([
      'worker',
      '--connect',
      url,
      '--backend',
      'js',
      '--tls-ca',
      certs.ca,
      '--token-file',
      tokenFile,
    ]);
    const cmdlines = [c, w].map((p) => readFileSync(`/proc/${p.child.pid}/cmdline`, 'utf8'));
    const done = await c.done;
    expect(done.code, done.stderr).toBe(0);
    const wd = await w.done;
    expect(wd.code, wd.stderr).toBe(0);
    expect(readSummary(dir).paramsSha256).toBe(reference());
    const records = [
      done.stdout,
      done.stderr,
      wd.stdout,
      wd.stderr,
      untrusting.stderr,
      ...cmdlines,
      readFileSync(join(dir, 'config.json'), 'utf8'),
      readFileSync(join(dir, 'summary.json'), 'utf8'),
      JSON.stringify(metrics(dir)),
    ];
    for (const text of records) expect(text).not.toContain(SECRET);
  });
});
