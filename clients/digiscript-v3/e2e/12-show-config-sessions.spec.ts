/**
 * Show Config — Sessions tab: session tags CRUD, ad-hoc sessions, and scheduled sessions
 * (schedule, edit, delete, start through the confirmation modal, stop, view the log).
 * Spec 13 covers session start/stop via the navbar.
 *
 * The browser runs in Europe/Paris: times are picked and shown in the browser's zone and sent
 * to the server as instants.
 */
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import {
  UI_BASE,
  loginAsAdmin,
  waitForAppReady,
  waitForModal,
  confirmModal,
  waitForModalClosed,
  confirmDialog,
} from '../helpers.js';
import { registerRetryHooks } from '../db-snapshot.js';

test.describe.configure({ mode: 'serial' });

registerRetryHooks();

const TIME_ZONE = 'Europe/Paris';
// Far enough ahead that the first is the next one up and the second is only scheduled.
const FIRST = {
  input: '2030-06-01T19:30',
  shown: '2030-06-01 · 19:30',
  utc: '2030-06-01T17:30:00',
};
const SECOND = { input: '2030-06-02T14:00', shown: '2030-06-02 · 14:00' };
const SECOND_MOVED = { input: '2030-06-02T15:00', shown: '2030-06-02 · 15:00' };
const THIRD = { input: '2030-06-03T20:00', shown: '2030-06-03 · 20:00' };

let ctx: BrowserContext;
let page: Page;

function sessionRow(text: string) {
  return page.locator('#show-sessions-table tbody tr', { hasText: text });
}

async function openSessionsPage(): Promise<void> {
  await page.goto(`${UI_BASE}/show-config/sessions`);
  await waitForAppReady(page);
  await expect(page.locator('#show-sessions-table')).toBeVisible({ timeout: 10_000 });
}

test.beforeAll(async ({ browser }) => {
  ctx = await browser.newContext({ timezoneId: TIME_ZONE });
  page = await ctx.newPage();
  await loginAsAdmin(page);
  await page.goto(`${UI_BASE}/show-config/sessions`);
  await waitForAppReady(page);
});

test.afterAll(async () => {
  await ctx.close();
});

// ── Sessions list ─────────────────────────────────────────────────────────

test('Sessions tab renders', async () => {
  await expect(page.locator('table').first()).toBeVisible({ timeout: 10_000 });
  await expect(page.locator('#show-sessions-table thead')).toContainText(
    `Date · Time (${TIME_ZONE})`
  );
  for (const column of ['Tags', 'Revision', 'Status', 'Actions']) {
    await expect(page.locator('#show-sessions-table thead')).toContainText(column);
  }
});

// ── Tags ─────────────────────────────────────────────────────────────────

test('switches to Tags sub-tab', async () => {
  await page.click('.nav-link:has-text("Tags"), button[role="tab"]:has-text("Tags")');
  await expect(page.locator('button:has-text("New Tag")')).toBeVisible();
});

test('creates a session tag', async () => {
  await page.click('button:has-text("New Tag")');
  await waitForModal(page, 'Add Session Tag');
  await page.fill('#new-tag-name', 'Tech Run');
  await confirmModal(page);
  await waitForModalClosed(page);
  await expect(page.locator('td:has-text("Tech Run")')).toBeVisible();
});

test('edits a session tag', async () => {
  const row = page.locator('tr', { has: page.locator('td:has-text("Tech Run")') });
  await row.locator('button:has-text("Edit")').click();
  await waitForModal(page, 'Edit Session Tag');
  await page.fill('#edit-tag-name', 'Tech Run (Edited)');
  await confirmModal(page);
  await waitForModalClosed(page);
  await expect(page.locator('td:has-text("Tech Run (Edited)")')).toBeVisible();
});

test('deletes a session tag', async () => {
  const row = page.locator('tr', { has: page.locator('td:has-text("Tech Run (Edited)")') });
  await row.locator('button:has-text("Delete")').click();
  await confirmDialog(page);
  await expect(page.locator('td:has-text("Tech Run (Edited)")')).not.toBeVisible({
    timeout: 5_000,
  });
});

test('creates the tag scheduled sessions use', async () => {
  await page.click('button:has-text("New Tag")');
  await waitForModal(page, 'Add Session Tag');
  await page.fill('#new-tag-name', 'Preview');
  await confirmModal(page);
  await waitForModalClosed(page);
  await expect(page.locator('td:has-text("Preview")')).toBeVisible();
});

// ── Ad-hoc session via the tab button ────────────────────────────────────

test('switches back to Sessions sub-tab', async () => {
  await page.click('button[role="tab"]:has-text("Sessions")');
  await expect(page.locator('button.btn-success:has-text("Start Ad-hoc Session")')).toBeVisible({
    timeout: 10_000,
  });
  await expect(page.locator('button:has-text("+ Schedule Session")')).toBeVisible();
});

test('starts an ad-hoc session via the Sessions tab button', async () => {
  await page.click('button.btn-success:has-text("Start Ad-hoc Session")');
  // START_SHOW WS message pushes all clients to /live
  await page.waitForURL(`${UI_BASE}/live`, { timeout: 10_000 });
});

test('stops the session via the navbar', async () => {
  await page.locator('text=Live Config').click();
  await page.click('button:has-text("Stop Session")');
  await confirmDialog(page);
  await expect(page.locator('a:has-text("Live")')).toHaveClass(/disabled/, { timeout: 10_000 });
});

test('the ad-hoc session is listed as Complete with its log', async () => {
  await openSessionsPage();
  const rows = page.locator('#show-sessions-table tbody tr', { hasText: 'Complete' });
  await expect(rows).toHaveCount(1);
  await rows.locator('button:has-text("View Log")').click();
  await waitForModal(page, 'Session Log');
  await expect(page.locator('.modal.show')).toContainText('Run time');
  await expect(page.locator('.modal.show td', { hasText: /^started$/ })).toBeVisible();
  await expect(page.locator('.modal.show td', { hasText: /^stopped$/ })).toBeVisible();
  await page.click('.modal.show .modal-footer button:has-text("Close")');
  await waitForModalClosed(page);
});

// ── Scheduled sessions ───────────────────────────────────────────────────

test('schedules a session: it is the next one up', async () => {
  await page.click('button:has-text("+ Schedule Session")');
  await waitForModal(page, 'Schedule Session');
  await expect(page.locator('.modal.show')).toContainText(`Date and time (${TIME_ZONE})`);
  await page.fill('#schedule-session-date-time', FIRST.input);
  await page.locator('.modal.show .multiselect').click();
  await page.locator('.modal.show .multiselect__option', { hasText: 'Preview' }).click();
  await confirmModal(page);
  await waitForModalClosed(page);
  const row = sessionRow(FIRST.shown);
  await expect(row).toHaveCount(1);
  await expect(row.locator('.session-status')).toHaveText('Next Up');
  await expect(row.locator('.tag-pill')).toHaveText('Preview');
  await expect(row.locator('button:has-text("Edit")')).toBeVisible();
  await expect(row.locator('button:has-text("Delete")')).toBeVisible();
  await expect(row.locator('button:has-text("Start")')).toBeEnabled();
  // Picked in Paris (summer time, UTC+2), kept by the server as the instant in UTC.
  const listed = await (await page.request.get(`${UI_BASE}/api/v1/show/sessions`)).json();
  const times = listed.sessions.map((s: { scheduled_date_time: string | null }) =>
    s.scheduled_date_time?.slice(0, 19)
  );
  expect(times).toContain(FIRST.utc);
});

test('schedules a second session: a "Scheduled" row appears', async () => {
  await page.click('button:has-text("+ Schedule Session")');
  await waitForModal(page, 'Schedule Session');
  await page.fill('#schedule-session-date-time', SECOND.input);
  await confirmModal(page);
  await waitForModalClosed(page);
  const row = sessionRow(SECOND.shown);
  await expect(row).toHaveCount(1);
  await expect(row.locator('.session-status')).toHaveText('Scheduled');
  await expect(sessionRow(FIRST.shown).locator('.session-status')).toHaveText('Next Up');
});

test('edits a scheduled session: the table updates', async () => {
  await sessionRow(SECOND.shown).locator('button:has-text("Edit")').click();
  await waitForModal(page, 'Edit Scheduled Session');
  await expect(page.locator('#schedule-session-date-time')).toHaveValue(SECOND.input);
  await page.fill('#schedule-session-date-time', SECOND_MOVED.input);
  await confirmModal(page);
  await waitForModalClosed(page);
  await expect(sessionRow(SECOND_MOVED.shown)).toHaveCount(1);
  await expect(sessionRow(SECOND.shown)).toHaveCount(0);
});

test('deletes a scheduled session: the row is removed', async () => {
  await sessionRow(SECOND_MOVED.shown).locator('button:has-text("Delete")').click();
  await confirmDialog(page);
  await expect(sessionRow(SECOND_MOVED.shown)).toHaveCount(0, { timeout: 5_000 });
  await expect(sessionRow(FIRST.shown)).toHaveCount(1);
});

test('a session deleted elsewhere while its start is confirmed: the refusal shows in the modal', async ({
  browser,
}) => {
  await page.click('button:has-text("+ Schedule Session")');
  await waitForModal(page, 'Schedule Session');
  await page.fill('#schedule-session-date-time', THIRD.input);
  await confirmModal(page);
  await waitForModalClosed(page);
  await sessionRow(THIRD.shown).locator('button:has-text("Start")').click();
  await waitForModal(page, 'Start Session');

  // Another stage manager deletes it meanwhile.
  const otherCtx = await browser.newContext({ timezoneId: TIME_ZONE });
  try {
    const other = await otherCtx.newPage();
    await loginAsAdmin(other);
    await other.goto(`${UI_BASE}/show-config/sessions`);
    await waitForAppReady(other);
    await other
      .locator('#show-sessions-table tbody tr', { hasText: THIRD.shown })
      .locator('button:has-text("Delete")')
      .click();
    await confirmDialog(other);
  } finally {
    await otherCtx.close();
  }
  // The list follows the change as it happens; the modal stays on what it was asked to start.
  await expect(sessionRow(THIRD.shown)).toHaveCount(0, { timeout: 10_000 });
  await expect(page.locator('.modal.show .modal-title')).toContainText(THIRD.shown);
  await page.click('.modal.show .modal-footer button:has-text("Start Show")');
  await expect(page.locator('.modal.show .alert-danger')).toHaveText('404 session not found');
  await page.click('.modal.show .modal-footer button:has-text("Cancel")');
  await waitForModalClosed(page);
  await expect(page).toHaveURL(`${UI_BASE}/show-config/sessions`);
});

test('starts a scheduled session through the confirmation modal', async () => {
  await sessionRow(FIRST.shown).locator('button:has-text("Start")').click();
  await waitForModal(page, 'Start Session');
  const title = page.locator('.modal.show .modal-title');
  await expect(title).toContainText(FIRST.shown);
  await expect(title).toContainText('Preview');
  await page.click('.modal.show .modal-footer button:has-text("Start Show")');
  // START_SHOW WS message pushes all clients to /live
  await page.waitForURL(`${UI_BASE}/live`, { timeout: 10_000 });
});

test('the started session is In Progress, with a Stop button', async () => {
  // Back to the sessions page without reloading, as the browser's Back button does.
  await page.goBack();
  await page.waitForURL(`${UI_BASE}/show-config/sessions`, { timeout: 10_000 });
  const row = sessionRow(FIRST.shown);
  await expect(row.locator('.session-status')).toHaveText('In Progress', { timeout: 10_000 });
  await expect(row.locator('button:has-text("Edit")')).toHaveCount(0);
  await expect(row.locator('button:has-text("Stop")')).toBeVisible();
});

test('stops the session from its row', async () => {
  await sessionRow(FIRST.shown).locator('button:has-text("Stop")').click();
  await confirmDialog(page);
  // STOP_SHOW WS message sends all clients home
  await page.waitForURL(`${UI_BASE}/`, { timeout: 10_000 });
  await expect(page.locator('a:has-text("Live")')).toHaveClass(/disabled/, { timeout: 10_000 });
});

test('the scheduled session is Complete, its log from scheduling to stop', async () => {
  await openSessionsPage();
  const row = sessionRow(FIRST.shown);
  await expect(row.locator('.session-status')).toHaveText('Complete');
  await row.locator('button:has-text("View Log")').click();
  await waitForModal(page, 'Session Log');
  for (const kind of ['scheduled', 'started', 'stopped']) {
    await expect(
      page.locator('.modal.show td', { hasText: new RegExp(`^${kind}$`) })
    ).toBeVisible();
  }
  await page.click('.modal.show .modal-footer button:has-text("Close")');
  await waitForModalClosed(page);
});
