export type { Store, Write, KeyedWrite, ClaimResult, Settle } from './types';
export { StoreUnavailableError } from './types';
export { createMemoryStore } from './memory';
export { createRedisStore, type RedisStore } from './redis';
