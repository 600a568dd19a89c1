import type { ReasonGroup } from './provider';

/**
 * Tencent FaceID's result codes (GetDetectInfoEnhanced Text.ErrCode; doc product/1007/31082),
 * grouped by what the person can do about them. One tip per group is shown, never a bare 失败.
 * A code not listed here is `other`: the tip then says to try again and where to get help.
 */
const GROUPS: Readonly<Record<Exclude<ReasonGroup, 'stubFail'>, readonly number[]>> = {
  // Too dark or too bright, or a face too unlike the photo (glasses, backlight): move to the light.
  light: [1201, 1202, 2016],
  // The face was not (fully) in the frame: too close, too far, several faces, covered.
  faceNotSeen: [1004, 1102, 1203, 1204, 1205, 2010, 2011],
  // Liveness: blinking, mouth, head or voice not recognised; suspected recording.
  actions: [1002, 1003, 1005, 1006, 1007, 1101, 1103, 1106, 1109, 1301],
  // The name and the ID number typed in the dialogue are not one person.
  mismatch: [2006],
  // No record or no usable photo at the authority: only the office can help.
  noPhoto: [2005, 2007, 2008, 2009],
  // The video or the engine was not reached: try again on a better network.
  network: [202, 1001, 1008, 1104, 1105, 1107, 1108],
  // The session is used up or too old: a fresh one is needed.
  expired: [14, 15],
  other: [],
};

const BY_CODE = new Map<number, ReasonGroup>(
  (Object.entries(GROUPS) as [ReasonGroup, readonly number[]][]).flatMap(([group, codes]) => codes.map((c) => [c, group] as const)),
);

/** The group of a failed session's ErrCode. */
export const groupOfCode = (code: number): ReasonGroup => BY_CODE.get(code) ?? 'other';

/** ErrCode values that mean "the person has not finished": neither a pass nor a failure. */
export const NOT_FINISHED = new Set([17]);
