/**
 * Runs DigiScript's own end-to-end specs (client-v3/e2e/tests, unmodified) against this server.
 * Started by run.sh, which builds the client and sets the DIGISCRIPT_E2E_* variables below; the
 * specs hard-code http://localhost:8888 and share one server and database, so they run one at a
 * time, in file order, and a failure is never retried (their retry hooks would restart
 * DigiScript's own server).
 *
 * This file and the global setup import nothing from npm: they are loaded from the repository,
 * where there is no node_modules, by the Playwright installed with the client.
 */
import path from 'path';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run clients/digiscript-v3/run.sh`);
  return value;
}

const client = required('DIGISCRIPT_E2E_CLIENT'); // the copied client-v3 folder
const results = required('DIGISCRIPT_E2E_RESULTS'); // where screenshots and traces go
const chromium = process.env.DIGISCRIPT_E2E_CHROMIUM || '/usr/bin/chromium';

// SPECS="01 02 12": the spec files whose names start with those prefixes; empty or "all": every one.
const specs = (process.env.DIGISCRIPT_E2E_SPECS || '').split(/[\s,]+/).filter(Boolean);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const testMatch =
  specs.length === 0 || specs.includes('all')
    ? '**/*.spec.ts'
    : specs.map((s) => new RegExp(`(^|/)${escape(s)}[^/]*\\.spec\\.ts$`));

// Tests of pages this server does not serve yet, left out of the run by title (the run prints
// them). Compiling a script needs the script itself, which the server does not have yet.
export const notYetSupported = ['can trigger script compilation'];
const listed = specs.length === 0 || specs.includes('all') || specs.some((s) => '11'.startsWith(s));
if (listed && process.env.TEST_WORKER_INDEX === undefined) {
  console.log(`Left out, not served yet: ${notYetSupported.map((t) => `"${t}"`).join(', ')}`);
}

export default {
  testDir: path.join(client, 'e2e', 'tests'),
  testMatch,
  grepInvert: new RegExp(notYetSupported.map(escape).join('|')),
  outputDir: path.join(results, 'test-results'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: path.join(results, 'results.json') }]],
  globalSetup: path.join(__dirname, 'global-setup.ts'),
  globalTeardown: path.join(__dirname, 'global-teardown.ts'),
  use: {
    baseURL: 'http://localhost:8888',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    video: 'off',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 720 },
        deviceScaleFactor: 1,
        isMobile: false,
        hasTouch: false,
        launchOptions: {
          executablePath: chromium,
          args: ['--no-sandbox', '--disable-gpu', '--headless'],
        },
      },
    },
  ],
};
