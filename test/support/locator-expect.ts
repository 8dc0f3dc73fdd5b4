/**
 * Retrying assertions on playwright-core locators (the `expect` of
 * @playwright/test is not in playwright-core): each polls until the
 * condition holds or the timeout passes, then fails with what it saw.
 */
import type { Locator } from 'playwright-core';

const TIMEOUT_MS = 10_000;

async function until(what: string, check: () => Promise<{ ok: boolean; saw: unknown }>, timeout = TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeout;
  let saw: unknown;
  for (;;) {
    try {
      const r = await check();
      if (r.ok) return;
      saw = r.saw;
    } catch (e) {
      saw = e instanceof Error ? e.message.split('\n')[0] : e;
    }
    if (Date.now() > deadline) throw new Error(`expected ${what}; saw ${JSON.stringify(saw)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const matches = (text: string, want: string | RegExp) => (typeof want === 'string' ? text.includes(want) : want.test(text));

export function ui(loc: Locator) {
  const text = async () => (await loc.first().textContent({ timeout: 1_000 })) ?? '';
  return {
    toContainText: (want: string | RegExp) => until(`${loc} to contain ${want}`, async () => { const t = await text(); return { ok: matches(t, want), saw: t }; }),
    toHaveText: (want: string | RegExp) => until(`${loc} to have text ${want}`, async () => {
      const t = (await text()).trim();
      return { ok: typeof want === 'string' ? t === want : want.test(t), saw: t };
    }),
    toHaveCount: (n: number) => until(`${loc} to match ${n} elements`, async () => { const c = await loc.count(); return { ok: c === n, saw: c }; }),
    toBeVisible: () => until(`${loc} to be visible`, async () => { const v = await loc.first().isVisible(); return { ok: v, saw: v }; }),
    toBeDisabled: () => until(`${loc} to be disabled`, async () => { const d = await loc.first().isDisabled({ timeout: 1_000 }); return { ok: d, saw: d }; }),
    toHaveValue: (want: string) => until(`${loc} to have value ${want}`, async () => { const v = await loc.first().inputValue({ timeout: 1_000 }); return { ok: v === want, saw: v }; }),
    toHaveAttribute: (name: string, want: string) => until(`${loc} to have ${name}=${want}`, async () => {
      const v = await loc.first().getAttribute(name, { timeout: 1_000 });
      return { ok: v === want, saw: v };
    }),
    toHaveClass: (want: RegExp) => until(`${loc} to have class ${want}`, async () => {
      const v = (await loc.first().getAttribute('class', { timeout: 1_000 })) ?? '';
      return { ok: want.test(v), saw: v };
    }),
    toBeFocused: () => until(`${loc} to be focused`, async () => {
      const f = await loc.first().evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement);
      return { ok: f, saw: f };
    }),
  };
}
