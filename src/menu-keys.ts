/**
 * The menu's click keys the backend answers. `menus/` may only use these (the menu validator
 * checks it), so a button can never lead to silence.
 */
export const CLICK_KEYS = {
  /** 待遇资格认证: start the certification dialogue. */
  certStart: 'CERT_START',
  /** 办理须知: the notice in brief, without starting a dialogue. */
  certNotice: 'CERT_NOTICE',
  /** 常见问题: the list of FAQ topics. */
  faqTopics: 'FAQ_TOPICS',
  /** 咨询举报电话: the four phone numbers. */
  helpPhones: 'HELP_PHONES',
  /** 大字版/关怀: how to use the large-print mode and get help. */
  careGuide: 'CARE_GUIDE',
} as const;

export type ClickKey = (typeof CLICK_KEYS)[keyof typeof CLICK_KEYS];
export const HANDLED_CLICK_KEYS: ReadonlySet<string> = new Set(Object.values(CLICK_KEYS));
