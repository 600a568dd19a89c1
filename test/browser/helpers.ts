import { existsSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { testApp, type Follower, type TestApp } from '../helpers/app';
import { describeUnless } from '../helpers/skip';

/**
 * The browser suite: the face-check pages in Debian's Chromium, driven by playwright-core on a phone
 * viewport, against the real app listening on 127.0.0.1. Without Chromium the suite is skipped and
 * says why, so `npm test` on a bare machine still runs everything else.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts', 'face-check');

/** Flags from docs/toolchain.md: headless, no sandbox (root in CI), and no calls home. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** `describe` when Chromium is installed; otherwise skipped with the reason in its title (see test/helpers/skip.ts). */
export function describeInChromium(name: string, fn: () => void): void {
  describeUnless(existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`, name, fn);
}

/**
 * Playwright gives every launch a fresh temporary profile (its --user-data-dir) and removes it on
 * close; it refuses a --user-data-dir in `args`, so none is passed here.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
}

/** The person every browser test certifies, and what the page may show of them. */
export const PERSON = {
  id: '11010519491231002X',
  name: '王秀英',
  phone: '13912342345',
  maskedName: '王*英',
  category: '养老资格认证',
} as const;

export interface Served {
  readonly t: TestApp;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * The real app (memory store unless given, recording notifier, settable clock) on a free loopback
 * port. The port is taken first, so that PUBLIC_BASE_URL is the origin the browser sees, as it is
 * in production: the callback refuses calls from any other origin.
 */
export async function serve(opts: Parameters<typeof testApp>[0] = {}): Promise<Served> {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const t = await testApp({ ...opts, env: { ...opts.env, PUBLIC_BASE_URL: origin } });
  server.on('request', t.rt.app.callback());
  return {
    t,
    origin,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

/** Drives the certification dialogue as a follower would, up to the reply with the link; returns its path. */
export async function issueLink(t: TestApp, f: Follower): Promise<string> {
  await f.tap('CERT_START');
  await f.say('1');
  await f.say('1');
  await f.say(PERSON.id);
  await f.say(PERSON.name);
  await f.say(PERSON.phone);
  const reply = await f.say('1');
  const link = reply.split(/\s+/).find((w) => w.startsWith(`${t.rt.config.publicBaseUrl}/face-check/`));
  if (!link) throw new Error(`no face-check link in the reply:\n${reply}`);
  return new URL(link).pathname;
}

/** What a second follower hears on reaching the ID step for PERSON: tells whether a record exists. */
export async function askAgainWithSameId(t: TestApp): Promise<string> {
  const other = t.follower();
  await other.tap('CERT_START');
  await other.say('1');
  await other.say('1');
  await other.say(PERSON.id);
  return other.say(PERSON.name);
}

/** An Android phone's WeChat in-app browser (XWEB), as far as a user agent can say. */
export const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 13; V2183A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 MMWEBSDK/20240404 MMWEBID/2613 ' +
  'MicroMessenger/8.0.49.2600(0x28003133) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

export const VIEWPORT = { width: 375, height: 667 } as const;

export type Speech = 'browser' | 'none' | 'chinese' | 'english-only';

export interface PhoneOptions {
  /**
   * 'browser': whatever headless Chromium has (often no voices); 'none': no speechSynthesis;
   * 'chinese': recording en-US and zh-CN voices; 'english-only': a recording en-US voice alone.
   */
  readonly speech?: Speech;
  /** Pretend to be inside WeChat: a WeixinJSBridge that records calls. */
  readonly wechatBridge?: boolean;
  /** Other origins the phone may reach (a provider's page); everything else outside the app is aborted. */
  readonly allow?: readonly string[];
}

export interface Phone {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every URL the page asked for. */
  readonly requests: string[];
  /** URLs outside the app's origin and `allow` (aborted). */
  readonly outside: string[];
  /** Console errors, page errors and CSP violations. */
  readonly problems: string[];
  /** What the recording voice was asked to say (speech: 'chinese' or 'english-only'). */
  spoken(): Promise<{ text: string; lang: string; voiceLang: string }[]>;
  /** What the page asked of WeixinJSBridge (wechatBridge: true). */
  bridgeCalls(): Promise<string[]>;
  close(): Promise<void>;
}

/** Reports CSP violations through the console, which the test listens to. */
export const WATCH_CSP = `document.addEventListener('securitypolicyviolation', function (e) {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline'));
});`;

const NO_SPEECH = `Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });
Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: undefined, configurable: true });`;

/** A voice that starts at once, "speaks" for 300 ms, and records what it was given; with or without Chinese. */
const recordingSpeech = (chinese: boolean) => `(function () {
  var spoken = [];
  var current = null;
  var voices = [{ name: 'Test English', lang: 'en-US', voiceURI: 'test-en', localService: true, default: true }];
  if (${chinese}) voices.push({ name: 'Test 普通话', lang: 'zh-CN', voiceURI: 'test-zh', localService: true, default: false });
  function Utterance(text) { this.text = text; this.lang = ''; this.voice = null; this.rate = 1; this.pitch = 1; this.volume = 1; }
  var synth = {
    speaking: false, pending: false, paused: false,
    getVoices: function () { return voices.slice(); },
    speak: function (u) {
      spoken.push({ text: u.text, lang: u.lang, voiceLang: u.voice ? u.voice.lang : '' });
      current = u;
      setTimeout(function () { if (current === u && u.onstart) u.onstart({}); }, 10);
      setTimeout(function () { if (current === u) { current = null; if (u.onend) u.onend({}); } }, 300);
    },
    cancel: function () { var u = current; current = null; if (u && u.onerror) u.onerror({ error: 'interrupted' }); },
    pause: function () {}, resume: function () {},
    addEventListener: function () {}, removeEventListener: function () {}
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
  Object.defineProperty(window, '__spoken', { value: spoken });
})();`;

const WECHAT_BRIDGE = `(function () {
  var calls = [];
  Object.defineProperty(window, '__bridgeCalls', { value: calls });
  window.WeixinJSBridge = { call: function (name) { calls.push(name); }, invoke: function (name) { calls.push(name); }, on: function () {} };
})();`;

/** A phone-sized, touch, WeChat-like page that may reach the app's origin and nothing else. */
export async function openPhone(browser: Browser, origin: string, opts: PhoneOptions = {}): Promise<Phone> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    screen: VIEWPORT,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent: WECHAT_UA,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block',
  });
  const requests: string[] = [];
  const outside: string[] = [];
  const problems: string[] = [];
  const allowed = new Set([new URL(origin).origin, ...(opts.allow ?? []).map((o) => new URL(o).origin)]);
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    requests.push(url);
    if (allowed.has(new URL(url).origin)) await route.continue();
    else {
      outside.push(url);
      await route.abort('blockedbyclient');
    }
  });
  await context.addInitScript({ content: WATCH_CSP });
  if (opts.speech === 'none') await context.addInitScript({ content: NO_SPEECH });
  if (opts.speech === 'chinese' || opts.speech === 'english-only') await context.addInitScript({ content: recordingSpeech(opts.speech === 'chinese') });
  if (opts.wechatBridge) await context.addInitScript({ content: WECHAT_BRIDGE });

  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content[- ]Security[- ]Policy|CSP/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  return {
    context,
    page,
    requests,
    outside,
    problems,
    spoken: () => page.evaluate(() => ((window as unknown as { __spoken?: { text: string; lang: string; voiceLang: string }[] }).__spoken ?? []).slice()),
    bridgeCalls: () => page.evaluate(() => ((window as unknown as { __bridgeCalls?: string[] }).__bridgeCalls ?? []).slice()),
    close: () => context.close(),
  };
}

/** A viewport screenshot under artifacts/face-check/ (git-ignored); `full` adds the whole page. */
export async function snap(page: Page, name: string, full = false): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `375x667-${name}.png`) });
  if (full) await page.screenshot({ path: path.join(ARTIFACTS, `375x667-${name}-full.png`), fullPage: true });
}

/** Measures what an older reader needs: sizes, tap targets, contrast, and what is above the fold. */
export interface Look {
  readonly fontPx: number;
  readonly height: number;
  readonly bottom: number;
  readonly contrast: number;
}

/** Computed font size, box and text/background contrast of the first element matching `selector`. */
export async function look(page: Page, selector: string): Promise<Look> {
  return page.locator(selector).first().evaluate((el) => {
    const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    let bgEl: Element | null = el;
    let bg = [255, 255, 255];
    while (bgEl) {
      const c = rgb(getComputedStyle(bgEl).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] !== 0)) {
        bg = c.slice(0, 3);
        break;
      }
      bgEl = bgEl.parentElement;
    }
    const style = getComputedStyle(el);
    const [l1, l2] = [luminance(rgb(style.color)), luminance(bg)].sort((a, b) => b - a) as [number, number];
    const box = el.getBoundingClientRect();
    return { fontPx: parseFloat(style.fontSize), height: box.height, bottom: box.bottom, contrast: (l1 + 0.05) / (l2 + 0.05) };
  });
}

/**
 * playwright-core has no web-first `expect` (that is @playwright/test's): these wait the same way,
 * then the test asserts with jest. `shown` waits until visible and returns the element's text.
 */
export async function shown(locator: Locator, timeout = 5_000): Promise<string> {
  await locator.waitFor({ state: 'visible', timeout });
  return locator.innerText();
}

export async function gone(locator: Locator, timeout = 5_000): Promise<void> {
  await locator.waitFor({ state: 'hidden', timeout });
}

/** Retries `check` (which throws while not yet true) until it passes or `timeout` ms have gone by. */
export async function eventually<T>(check: () => Promise<T>, timeout = 5_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
