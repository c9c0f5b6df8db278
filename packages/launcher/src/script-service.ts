import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildService } from './child-service.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * One of our own TypeScript entry files run as a service: Node with tsx, from the repository's root,
 * healthy once `healthUrl` answers 2xx.
 */
export function scriptService(options: {
  name: string;
  /** The entry file, relative to the repository's root. */
  script: string;
  env: NodeJS.ProcessEnv;
  healthUrl: string;
  print: (line: string) => void;
}): ChildService {
  return new ChildService({
    name: options.name,
    command: process.execPath,
    args: ['--import', 'tsx', join(root, options.script)],
    env: options.env,
    cwd: root,
    isHealthy: async () => (await fetch(options.healthUrl, { signal: AbortSignal.timeout(2_000) })).ok,
    print: options.print,
  });
}
