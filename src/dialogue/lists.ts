import { numbered } from './choice';
import type { Action, Ctx, Line, Topic } from './types';

/**
 * The numbered lists a follower is shown besides the steps' own: the home list, and the 常见问题
 * list in two levels (groups of templates/topics.yaml, then a group's questions), so that no reply
 * is longer than one phone screen. A number refers to the last list shown (`FollowerState.choices`).
 */

export const HOME: readonly Action[] = [{ type: 'start' }, { type: 'topics' }, { type: 'phones' }];
export const listVars = (items: readonly string[]) => ({ list: numbered(items) });
export const welcome = (ctx: Ctx): Line => ({ key: 'welcome', vars: listVars(ctx.content.home) });

export interface Shown {
  readonly line: Line;
  readonly choices: readonly Action[];
}

export function topicGroups(ctx: Ctx): Shown {
  const groups = ctx.content.topicGroups;
  return { line: { key: 'topics', vars: listVars(groups.map((g) => g.title)) }, choices: groups.map((_, index) => ({ type: 'group', index })) };
}

/** A group's questions, in the order of templates/topics.yaml; null for a group that is not there. */
export function topicGroup(index: number, ctx: Ctx): Shown | null {
  const group = ctx.content.topicGroups[index];
  if (!group) return null;
  const byId = new Map<string, Topic>(ctx.faq.topics().map((t) => [t.id, t]));
  const topics = group.entries.flatMap((id) => byId.get(id) ?? []);
  return {
    line: { key: 'topicGroup', vars: { title: group.title, ...listVars(topics.map((t) => t.question)) } },
    choices: topics.map((t) => ({ type: 'faq', id: t.id })),
  };
}
