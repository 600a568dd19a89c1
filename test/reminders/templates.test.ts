import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compose } from '../../src/compose';
import { loadContent, TemplateError } from '../../src/content';
import { TEMPLATES_DIR } from '../../src/paths';
import { FIELD_MAX_CHARS, loadReminderTemplates, whoOf } from '../../src/reminders';
import { createMemoryStore } from '../../src/store';
import { createWechatApiClient, WechatApiError } from '../../src/wechat-api';
import { testConfig } from '../helpers/config';
import { startFakeWechatApi, type FakeWechatApi } from '../helpers/fake-wechat';
import { TEMPLATE_ID } from '../helpers/reminders';

/**
 * templates/reminders.yaml against WeChat's limits since 2023: at most 20 characters a field, no
 * line break. Checked at start-up with the longest values a field may be filled with.
 */
const content = loadContent(TEMPLATES_DIR, testConfig().cert);

/** A copy of templates/ with reminders.yaml replaced. */
function templatesWith(yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'templates-'));
  cpSync(TEMPLATES_DIR, dir, { recursive: true });
  writeFileSync(path.join(dir, 'reminders.yaml'), yaml);
  return dir;
}
const shipped = readFileSync(path.join(TEMPLATES_DIR, 'reminders.yaml'), 'utf8');
/** The shipped file with one kind's thing1 replaced by `yaml` (a YAML scalar, quoted as given). */
const withField = (kind: 'beforeEnd' | 'nextWindow', yaml: string) => {
  const out = shipped.replace(new RegExp(`(${kind}:\\n  thing1: )'[^']*'`), `$1${yaml}`);
  if (out === shipped) throw new Error(`no ${kind}.thing1 in templates/reminders.yaml`);
  return out;
};

it('ships templates whose every field fits, with a long minority name and many people', () => {
  const t = loadReminderTemplates(TEMPLATES_DIR, content, 30);
  const many = Array.from({ length: 150 }, () => ({ maskedName: '阿*******************提' }));
  for (const fields of [
    t.fill('beforeEnd', many, { deadline: '2026年12月31日', daysLeft: '30' }),
    t.fill('nextWindow', many, { start: '2026年12月31日', deadline: '2026年12月31日' }),
    t.fill('beforeEnd', [{}], { deadline: '2026年6月30日', daysLeft: '7' }),
  ]) {
    for (const value of Object.values(fields)) {
      expect([...value].length).toBeLessThanOrEqual(FIELD_MAX_CHARS);
      expect(value).not.toMatch(/[\r\n]/);
    }
  }
  expect(t.fill('beforeEnd', many, { deadline: '2026年6月30日', daysLeft: '7' }).thing1).toBe('阿******提等99人认证未完成');
});

it('names who a reminder is about without ever spelling a name out', () => {
  const WHO = { unknownPerson: '老人', andOthers: '{{who}}等{{count}}人' };
  expect(whoOf([{ maskedName: '王*英' }], WHO)).toBe('王*英');
  expect(whoOf([{ maskedName: '王*英' }, { maskedName: '李*国' }], WHO)).toBe('王*英等2人');
  expect(whoOf([{}, { maskedName: '李*国' }], WHO)).toBe('李*国等2人');
  expect(whoOf([{}], WHO)).toBe('老人');
});

it.each([
  ['a field longer than 20 characters with the longest name', withField('beforeEnd', "'{{who}}的待遇资格认证还没有完成'"), /beforeEnd\.thing1: ".*" is 2\d characters/],
  ['a line break in a field', withField('nextWindow', '"{{who}}\\n认证"'), /nextWindow\.thing1: a template field holds no line break/],
  ['a placeholder nobody fills', withField('beforeEnd', "'{{office.nowhere}}'"), /beforeEnd\.thing1: no value for \{\{office\.nowhere\}\}/],
  ['a value of the other kind (days left when a window opens)', withField('nextWindow', "'还剩{{daysLeft}}天'"), /nextWindow\.thing1: no value for \{\{daysLeft\}\}/],
  ['a field name that is no template keyword', shipped.replace('thing3: 进入', '温馨提示: 进入'), /beforeEnd\.温馨提示: must be a keyword/],
])('stops start-up naming the field for %s', async (_, yaml, message) => {
  const dir = templatesWith(yaml);
  expect(() => loadReminderTemplates(dir, content, 30)).toThrow(TemplateError);
  expect(() => loadReminderTemplates(dir, content, 30)).toThrow(message);
  await expect(compose(testConfig(), { store: createMemoryStore(), templatesDir: dir, schedule: false })).rejects.toThrow(message);
});

it('checks {{daysLeft}} with the largest of REMINDER_DAYS_BEFORE_END', () => {
  // 20 characters with two-digit days, 21 with three.
  const dir = templatesWith(withField('beforeEnd', "'{{who}}的认证还剩{{daysLeft}}天'"));
  expect(() => loadReminderTemplates(dir, content, 30)).not.toThrow();
  expect(() => loadReminderTemplates(dir, content, 120)).toThrow(/beforeEnd\.thing1: ".*" is 21 characters/);
});

describe('the fake WeChat API, as WeChat answers template messages', () => {
  let fake: FakeWechatApi;
  beforeAll(async () => {
    fake = await startFakeWechatApi();
  });
  afterAll(() => fake.close());
  const client = () =>
    createWechatApiClient({ settings: { apiBase: fake.url, appId: 'wxa', appSecret: 's', tokenMode: 'stable', apiTimeoutMs: 2000 }, store: createMemoryStore() });

  it.each([
    ['21 characters', '一二三四五六七八九十一二三四五六七八九十一'],
    ['a line break', '认证\n未完成'],
  ])('refuses a field of %s with 47003', async (_, value) => {
    const err = await client().sendTemplate('o_x', { templateId: TEMPLATE_ID, data: { thing1: value } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatApiError);
    expect((err as WechatApiError).errcode).toBe(47003);
    expect(fake.templateMessages).toEqual([]);
  });
});
