/**
 * The web UI end to end: a real `cairn server` (auth on) seeded through its
 * API, driven by Debian's Chromium. Opens every page and checks its content,
 * filters, sorts, groups, saves a view, compares three runs, approves and
 * performs a transition, downloads an artifact, checks each page with
 * axe-core, and saves a screenshot of each page under .cairn/ui-screenshots.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { HttpGovernanceClient } from '../../src/client/http-governance-client.js';
import { ROOT, spawnServer, type ServerProcess } from '../support/server-process.js';
import { launchChromium, seriousA11yViolations } from '../support/browser.js';
import { seedUi, type Seeded } from '../support/ui-seed.js';
import { ui } from '../support/locator-expect.js';

const SHOTS = join(ROOT, '.cairn', 'ui-screenshots');
const ADMIN_TOKEN = 'cairn_ui_test_admin_token_0123456789';

let dir: string;
let server: ServerProcess;
let browser: Browser;
let page: Page;
let seeded: Seeded;
let approverToken: string;
const consoleErrors: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function accessible(name: string): Promise<void> {
  const v = await seriousA11yViolations(page);
  expect(v, `${name}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

/** Opens a UI path and waits for its loading skeletons to go. */
async function open(path: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.waitForLoadState('networkidle');
  await page.locator('.skeleton').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-ui-'));
  await mkdir(SHOTS, { recursive: true });
  server = await spawnServer({
    db: join(dir, 'cairn.db'), artifacts: join(dir, 'artifacts'), home: dir,
    env: { CAIRN_AUTH: '1', CAIRN_ADMIN_TOKEN: ADMIN_TOKEN },
  });
  const gov = new HttpGovernanceClient({ url: server.url, token: ADMIN_TOKEN });
  approverToken = (await gov.createUser({ name: 'ann', role: 'approver' })).token;
  seeded = await seedUi(server.url, ADMIN_TOKEN);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  // Failed fetches (a run without a patch, a 401 before signing in) are shown on the page; the browser also logs each one.
  page.on('console', (m) => { if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
}, 180_000);

// A failed step leaves a screenshot and the browser's errors to look at.
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !page) return;
  await page.screenshot({ path: join(SHOTS, `FAILED-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => undefined);
  console.error(`page ${page.url()}; browser errors: ${JSON.stringify(consoleErrors)}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.kill();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('web UI in Chromium', () => {
  it('asks for a token when auth is on, and signs in with one', async () => {
    await open('/');
    await ui(page.getByRole('alert')).toContainText(/requires authentication/);
    await shot('signed-out');
    await page.getByRole('link', { name: 'Sign in with a token' }).click();
    await page.getByLabel('API token').fill('cairn_not_a_real_token_at_all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await ui(page.getByRole('alert')).toContainText(/not valid/);
    await accessible('login');
    await shot('login');
    await page.getByLabel('API token').fill(approverToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Experiments' }).waitFor();
  });

  it('home lists experiments with run counts and last activity, and searches', async () => {
    await open('/');
    const row = page.getByRole('row', { name: /churn-model/ });
    await ui(row.getByRole('cell').nth(1)).toHaveText('6');
    await ui(page.getByRole('row', { name: /empty-experiment/ }).getByRole('cell').nth(1)).toHaveText('0');
    await accessible('home');
    await shot('home');
    await page.getByLabel('Search experiments by name').fill('empty');
    await ui(page.getByRole('row', { name: /churn-model/ })).toHaveCount(0);
    expect(page.url()).toContain('q=empty');
    await page.getByRole('link', { name: 'empty-experiment' }).click();
    await ui(page.getByText('No runs in this experiment yet')).toBeVisible();
    await ui(page.locator('.empty pre')).toContainText('cairn run --experiment');
  });

  it('experiment page: runs table, filter with inline errors, sort, group, saved view', async () => {
    await open(`/experiments/${seeded.experimentId}`);
    const rows = page.locator('.runs [role=row][data-index]');
    await ui(rows).toHaveCount(6);
    await ui(page.getByRole('columnheader', { name: /auc/ })).toBeVisible();
    await accessible('experiment');
    await shot('experiment');

    const filter = page.getByRole('combobox', { name: 'Filter runs' });
    await filter.fill('metrics.au');
    await ui(page.getByRole('option', { name: 'metrics.auc' })).toBeVisible();
    await filter.press('Tab');
    await ui(filter).toHaveValue('metrics.auc ');
    await filter.pressSequentially('> 0.85');
    await filter.press('Enter');
    await ui(rows).toHaveCount(3);
    expect(new URL(page.url()).searchParams.get('filter')).toBe('metrics.auc > 0.85');

    await filter.fill('metrics.auc >> 1');
    await filter.press('Enter');
    await ui(page.locator('.field-error')).toContainText(/expected|position|column/i);
    await ui(filter).toHaveAttribute('aria-invalid', 'true');
    await shot('experiment-filter-error');
    await page.getByRole('button', { name: 'Clear' }).click();
    await ui(rows).toHaveCount(6);

    await page.getByRole('button', { name: /^auc/ }).click();
    await ui(rows.first()).toContainText('run-sgd-0.1');
    await page.getByRole('button', { name: /^auc/ }).click();
    await ui(rows.first()).toContainText('run-sgd-0.2');
    expect(new URL(page.url()).searchParams.get('order')).toBe('metrics.auc DESC');

    await page.getByLabel('Group by').selectOption('params.optimizer');
    const groups = page.getByRole('table', { name: /grouped by params.optimizer/ });
    await ui(groups.getByRole('row')).toHaveCount(3);
    await ui(groups.getByRole('row', { name: /adam/ }).getByRole('cell').nth(1)).toHaveText('3');
    await shot('experiment-grouped');
    await page.getByLabel('Group by').selectOption('');

    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByLabel('View name').fill('best auc');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await ui(page.getByLabel('View').locator('option', { hasText: 'best auc' })).toHaveCount(1);
    await open(`/experiments/${seeded.experimentId}`);
    await page.getByLabel('View').selectOption({ label: 'best auc' });
    await ui(rows.first()).toContainText('run-sgd-0.2');
  });

  it('moves through the runs table with the keyboard', async () => {
    await open(`/experiments/${seeded.experimentId}?order=${encodeURIComponent('attributes.run_name ASC')}`);
    const rows = page.locator('.runs [role=row][data-index]');
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    await ui(rows.nth(1)).toBeFocused();
    await page.keyboard.press(' ');
    await ui(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('End');
    await ui(rows.nth(5)).toBeFocused();
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: 'Overview' }).waitFor();
    expect(page.url()).toMatch(/\/runs\//);
  });

  it('compares three runs: curves, scatter, parallel coordinates and a diff table', async () => {
    await open(`/experiments/${seeded.experimentId}`);
    for (const name of seeded.runNames.slice(0, 3)) await page.getByLabel(`Select ${name}`).check();
    await page.getByRole('button', { name: 'Compare (3)' }).click();
    await page.getByRole('heading', { name: 'Compare 3 runs' }).waitFor();
    await ui(page.locator('.chart canvas').first()).toBeVisible();
    await page.getByLabel('Parameter', { exact: true }).selectOption('lr');
    await ui(page.getByRole('img', { name: 'auc against lr' }).locator('circle')).toHaveCount(3);
    await ui(page.getByRole('img', { name: /parameters to/ }).locator('polyline')).toHaveCount(3);
    const lrRow = page.getByRole('row', { name: /^param lr/ });
    await ui(lrRow).toHaveClass(/differs/);
    await ui(lrRow).toContainText('0.01');
    await page.waitForTimeout(300);
    await accessible('compare');
    await shot('compare');
  });

  it('run page: overview, charts, log search, artifact previews and download', async () => {
    await open(`/runs/${seeded.runIds[1]}`);
    await ui(page.getByText('REPRODUCED')).toBeVisible();
    await ui(page.getByText('3f2a9c1d5e7b8a6c4d2e0f1a3b5c7d9e1f2a4b6c')).toBeVisible();
    await ui(page.locator('.markdown strong')).toHaveText('lr 0.01');
    await ui(page.locator('.diff .add')).toContainText('+lr = 0.01');
    await accessible('run-overview');
    await shot('run-overview');

    await page.getByRole('button', { name: 'Edit notes' }).click();
    await page.getByLabel('Notes (markdown)').fill('Edited *in the UI*');
    await page.getByRole('button', { name: 'Save notes' }).click();
    await ui(page.locator('.markdown em')).toHaveText('in the UI');

    await page.getByRole('tab', { name: 'Metrics' }).click();
    await ui(page.getByRole('img', { name: 'chart: loss' })).toBeVisible();
    await ui(page.getByRole('heading', { name: 'System metrics' })).toBeVisible();
    await page.getByLabel('X axis').selectOption('relative');
    await page.getByLabel('Log scale').check();
    expect(page.url()).toMatch(/x=relative/);
    await ui(page.getByText('200 points shown')).toBeVisible();
    await page.waitForTimeout(300);
    await accessible('run-metrics');
    await shot('run-metrics');

    await page.getByRole('tab', { name: 'Log' }).click();
    await ui(page.getByLabel('Run log')).toContainText('training done');
    await page.getByLabel('Search the log').fill('epoch 4');
    await ui(page.getByText('1 matching lines')).toBeVisible();
    await accessible('run-log');
    await shot('run-log');

    await page.getByRole('tab', { name: 'Artifacts' }).click();
    await page.getByRole('button', { name: /eval\// }).click();
    await page.getByRole('button', { name: 'predictions.csv' }).click();
    await ui(page.getByRole('table', { name: 'CSV preview' }).getByRole('row')).toHaveCount(4);
    await accessible('run-artifacts');
    await shot('run-artifacts');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('predictions.csv');
    expect(await readFile(await download.path(), 'utf8')).toBe('id,label,score\n1,1,0.91\n2,0,0.12\n3,1,"0.77"\n');
    await page.getByRole('button', { name: 'artifacts', exact: true }).click();
    await page.getByRole('button', { name: /plots\// }).click();
    await page.getByRole('button', { name: 'confusion.png' }).click();
    await ui(page.getByRole('img', { name: 'plots/confusion.png' })).toBeVisible();
  });

  it('registry: stage badges, lineage, gate results, approve, then promote', async () => {
    await open('/models');
    await ui(page.getByRole('row', { name: /churn/ })).toContainText('challenger → v2');
    await accessible('models');
    await shot('models');
    await page.getByRole('link', { name: 'churn', exact: true }).click();
    await page.getByRole('button', { name: 'v2' }).click();
    await ui(page.getByRole('list', { name: /Lineage/ })).toContainText('run-adam-0.01');
    await page.getByLabel(/Move v2 from/).selectOption('production');
    const gates = page.locator('ul.gates');
    await ui(gates.locator('li.fail')).toContainText(/approval/i);
    await ui(page.getByRole('button', { name: 'Move to production' })).toBeDisabled();
    await ui(page.getByText('Trained with Adam.')).toBeVisible();
    await accessible('model');
    await shot('model-before-approval');
    await page.getByLabel('Comment').fill('looks good');
    await page.getByRole('button', { name: 'Approve' }).click();
    await ui(page.getByRole('status')).toContainText('approved v2 for production');
    await ui(gates.locator('li.fail')).toHaveCount(0);
    await page.getByRole('button', { name: 'Move to production' }).click();
    await ui(page.getByRole('status')).toContainText('moved v2 to production');
    await ui(page.getByRole('row', { name: /^v2/ })).toContainText('production');
    await ui(page.getByRole('region', { name: 'Audit history' })).toContainText(/approved for production — ann .*looks good/);
    await ui(page.getByRole('row', { name: /^v2/ })).toContainText('by admin');
    await shot('model-after-promotion');
  });

  it('data: datasets, versions, validation, profile histograms and a diff', async () => {
    await open('/data');
    await ui(page.getByRole('row', { name: /customers/ })).toContainText('2');
    await accessible('data');
    await shot('data');
    await open('/data/customers?v=1');
    await ui(page.getByRole('table', { name: 'Validation checks' })).toContainText('FAIL');
    await ui(page.getByRole('img', { name: /histogram of age/ })).toBeVisible();
    await ui(page.getByText('200 rows × 4 columns', { exact: false })).toBeVisible();
    await ui(page.getByText(/0 added, 0 removed, 1 modified/)).toBeVisible();
    await ui(page.locator('.diff-list .mod')).toContainText('rows 200 → 201');
    await accessible('dataset');
    await shot('dataset');
  });

  it('sweeps: history, importances, parallel coordinates and best trial', async () => {
    await open('/sweeps');
    await ui(page.getByRole('row', { name: new RegExp(seeded.study) })).toContainText('↓ loss');
    await accessible('sweeps');
    await shot('sweeps');
    await page.getByRole('link', { name: seeded.study }).click();
    await ui(page.getByRole('img', { name: 'chart: loss' })).toBeVisible();
    await ui(page.getByText('COMPLETE 8')).toBeVisible();
    await ui(page.getByRole('heading', { name: /Best trial/ })).toBeVisible();
    await ui(page.getByRole('img', { name: /parameters to loss/ }).locator('polyline')).toHaveCount(8);
    await page.waitForTimeout(300);
    await accessible('sweep');
    await shot('sweep');
  });

  it('dark theme, slots for later capabilities, and no console errors', async () => {
    await open('/monitoring');
    await ui(page.getByRole('heading', { name: 'Monitoring', level: 1 })).toBeVisible();
    await accessible('monitoring');
    await open('/deployments');
    await ui(page.getByRole('heading', { name: 'Deployments' })).toBeVisible();
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await open(`/experiments/${seeded.experimentId}`);
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await accessible('experiment-dark');
    await shot('experiment-dark');
    await open(`/runs/${seeded.runIds[0]}?tab=metrics`);
    await page.waitForTimeout(300);
    await accessible('run-metrics-dark');
    await shot('run-metrics-dark');
    expect(consoleErrors).toEqual([]);
  });
});
