import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TemplateError } from '../../src/content';
import { TEMPLATES_DIR } from '../../src/paths';
import { testApp, type TestApp } from '../helpers/app';
import { complete, openPage, person, toLink } from '../helpers/certify';

/**
 * The office's facts (templates/facts.yaml) go into the face-check pages, some inside attributes
 * (href="tel:…"). Office staff edit that file: a quote or a `<` there must show as text on the
 * page, never become markup, and a phone number that cannot be dialled stops start-up, naming it.
 */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'facts-'));
  cpSync(TEMPLATES_DIR, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** templates/ with one line of facts.yaml replaced. */
function editFacts(from: string, to: string) {
  const file = path.join(dir, 'facts.yaml');
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`facts.yaml has no ${from}`);
  writeFileSync(file, text.replace(from, to));
}
const start = () => testApp({ overrides: { templatesDir: dir } });

describe('a phone fact that is not a phone number', () => {
  it.each([
    ['a quote in it', '"0471-3670679\\" onclick=\\"alert(1)"'],
    ['a letter O for a zero', '0471-367O679'],
    ['two numbers in one', '0471-3670679、0471-3670075'],
    ['words', '见大厅公告'],
  ])('stops start-up naming the fact: %s', async (_, value) => {
    editFacts('jiguan: 0471-3670679', `jiguan: ${value}`);
    const started = start();
    await expect(started).rejects.toThrow(TemplateError);
    await expect(started).rejects.toThrow(/templates\/facts\.yaml: phone\.jiguan must be a phone number/);
  });

  it.each([
    ['a mobile number', '13912342345'],
    ['an international form with spaces', '+86 471 367 0679'],
    ['a hotline', '12333'],
  ])('lets start-up go on for %s', async (_, value) => {
    editFacts('jiguan: 0471-3670679', `jiguan: "${value}"`);
    const t = await start();
    await t.close();
  });
});

describe('a fact with markup in it', () => {
  let t: TestApp;
  afterEach(() => t.close());
  const CENTRE = '新城区<script>alert(1)</script>"服务中心"&大厅';
  const ESCAPED = '新城区&#60;script&#62;alert(1)&#60;/script&#62;&#34;服务中心&#34;&#38;大厅';

  beforeEach(async () => {
    editFacts('centre: 新城区社会保险事业服务中心', `centre: '${CENTRE}'`);
    t = await start();
  });

  it('shows as text on the face-check page', async () => {
    const { token } = await toLink(t.follower(), person());
    const res = await openPage(t, token);
    expect(res.status).toBe(200);
    expect(res.text).toContain(ESCAPED);
    expect(res.text).not.toContain('<script>alert(1)');
    // The page's own script is the only one (the template's comment aside), and it carries the nonce.
    expect(res.text.replace(/<!--[\s\S]*?-->/g, '').match(/<script/g)).toHaveLength(1);
    expect(res.text).toMatch(/<script nonce="[A-Za-z0-9+/=]+">/);
  });

  it('shows as text on the page for an unknown link', async () => {
    const res = await openPage(t, 'A'.repeat(32));
    expect(res.status).toBe(404);
    expect(res.text).toContain(ESCAPED);
    expect(res.text).not.toContain('<script>alert(1)');
  });

  it('reaches the follower’s WeChat message as the office wrote it (a text message, not HTML)', async () => {
    const { token } = await toLink(t.follower(), person());
    expect((await complete(t, token, { result: 'fail' })).status).toBe(200);
    expect(t.notifier.sent[0]?.text).toContain(`到${CENTRE}窗口办理`);
  });
});
