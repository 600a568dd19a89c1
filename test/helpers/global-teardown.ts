import { started } from './global-setup';

/** Stops the redis-server that global-setup.ts started, if it started one, and removes its data. */
export default async function globalTeardown(): Promise<void> {
  await started.server?.dispose();
  started.server = null;
}
