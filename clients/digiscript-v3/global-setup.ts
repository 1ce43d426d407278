/**
 * Starts this server for DigiScript's e2e specs, in place of the specs' own setup (which starts
 * DigiScript's server): on port 8888, which the specs hard-code, with the built client and a
 * fresh SQLite database.
 *
 * What the specs expect of the setup (e2e/db-snapshot.ts): os.tmpdir()/digiscript-e2e-tmpdir.txt
 * names a folder holding the database as digiscript.sqlite and a settings file digiscript.json,
 * which each spec file copies when it starts. run.sh points TMPDIR at a folder of the run's own,
 * so those fixed names never meet another run's.
 */
import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

export const SERVER_PORT = 8888;
const HEALTH_URL = `http://localhost:${SERVER_PORT}/api/v1/health`;
// Read by the specs' db-snapshot.ts.
const TMPDIR_FILE = path.join(os.tmpdir(), 'digiscript-e2e-tmpdir.txt');
// Ours alone: the server this setup started, for the teardown.
export const SERVER_PID_FILE = path.join(os.tmpdir(), 'digiscript-e2e-this-server.pid');
export const TEMP_DIR_FILE = TMPDIR_FILE;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run clients/digiscript-v3/run.sh`);
  return value;
}

async function healthy(): Promise<boolean> {
  try {
    const res = await fetch(HEALTH_URL, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function portAnswers(): Promise<boolean> {
  try {
    await fetch(HEALTH_URL, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

export default async function globalSetup(): Promise<void> {
  const repo = required('DIGISCRIPT_E2E_REPO');
  const clientDir = required('DIGISCRIPT_E2E_DIST');
  const logPath = required('DIGISCRIPT_E2E_SERVER_LOG');

  // Never stop a process this run did not start: a busy port is an error to report.
  if (await portAnswers()) {
    throw new Error(`port ${SERVER_PORT} is already in use; the specs need it: free it first`);
  }

  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'digiscript-e2e-'));
  const dbPath = path.join(tempDir, 'digiscript.sqlite');
  const databaseUrl = `sqlite:///${dbPath}`;
  fs.writeFileSync(path.join(tempDir, 'digiscript.json'), JSON.stringify({ db_path: databaseUrl }));
  fs.writeFileSync(TMPDIR_FILE, tempDir);

  const log = fs.openSync(logPath, 'w');
  const server = spawn(
    path.join(repo, '.venv', 'bin', 'python'),
    ['-m', 'server', 'serve', '--host', 'localhost', '--port', String(SERVER_PORT),
      '--client-dir', clientDir, '--database-url', databaseUrl],
    { cwd: repo, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  if (server.pid === undefined) throw new Error('could not start the server');
  fs.writeFileSync(SERVER_PID_FILE, String(server.pid));
  let exited: number | string | null = null;
  server.on('exit', (code, signal) => {
    exited = code ?? signal;
  });
  server.unref();

  const deadline = Date.now() + 30_000;
  while (!(await healthy())) {
    if (exited !== null || Date.now() > deadline) {
      if (exited === null) server.kill('SIGKILL');
      const tail = fs.readFileSync(logPath, 'utf-8').split('\n').slice(-20).join('\n');
      throw new Error(
        `the server ${exited !== null ? `exited (${exited})` : 'did not answer within 30 s'}; ` +
          `its log (${logPath}) ends:\n${tail}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // The specs copy the database at each spec file's start: make sure it is there.
  if (!fs.existsSync(dbPath)) throw new Error(`the server did not create ${dbPath}`);
  console.log(`server ready on port ${SERVER_PORT} (pid ${server.pid}, log ${logPath})`);
}
