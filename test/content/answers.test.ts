import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compose } from '../../src/compose';
import { checkTopics, TemplateError } from '../../src/content';
import { createLogger } from '../../src/log';
import { createMemoryStore } from '../../src/store';
import { testConfig } from '../helpers/config';
import { content, faq, TEMPLATES } from '../helpers/core';

/** The 常见问题 groups of templates/topics.yaml (against the FAQ) and the word lists of answers.yaml are checked at start-up. */

describe('the 常见问题 groups', () => {
  it('list every entry of the knowledge base, each once', () => {
    expect(checkTopics(content.topicGroups, faq.topics().map((t) => t.id))).toEqual([]);
  });

  it('refuse an id the knowledge base does not have, naming it', () => {
    const groups = [{ title: 'x', entries: ['window', 'no-such-entry'] }];
    expect(() => checkTopics(groups, ['window'])).toThrow(TemplateError);
    expect(() => checkTopics(groups, ['window'])).toThrow(/no-such-entry/);
  });

  it('return the entries no group lists, to be warned about', () => {
    expect(checkTopics([{ title: 'x', entries: ['window'] }], ['window', 'abroad'])).toEqual(['abroad']);
  });
});

describe('start-up with edited groups', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'topics-'));
    cpSync(TEMPLATES, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const edit = (from: string, to: string) => {
    const file = path.join(dir, 'topics.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
  };

  it('stops on a group naming an FAQ entry that does not exist', async () => {
    edit('[away-from-home, abroad]', '[away-from-home, abroad, living-on-mars]');
    await expect(compose(testConfig(), { store: createMemoryStore(), templatesDir: dir, logger: createLogger('silent') })).rejects.toThrow(/living-on-mars/);
  });

  it('stops on an answers.yaml that lost a word list, naming the file and the list', async () => {
    const file = path.join(dir, 'answers.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^retryWords:.*$/m, ''));
    await expect(compose(testConfig(), { store: createMemoryStore(), templatesDir: dir, logger: createLogger('silent') })).rejects.toThrow(/answers\.yaml: retryWords/);
  });

  it('warns about an entry listed in no group, and starts', async () => {
    edit('[away-from-home, abroad]', '[away-from-home]');
    const lines: string[] = [];
    const rt = await compose(testConfig(), { store: createMemoryStore(), templatesDir: dir, logger: createLogger('warn', { write: (l: string) => void lines.push(l) }) });
    await rt.close();
    expect(lines.join('\n')).toMatch(/in no group of templates\/topics.yaml[^\n]*abroad|abroad[^\n]*in no group/);
  });
});
