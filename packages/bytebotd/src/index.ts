export { BytebotdError } from './bytebotd-error.ts';
export type { DesktopSession } from './computer/desktop-session.ts';
export { desktopSessionFromEnvironment } from './desktop-session-from-environment.ts';
export {
  type BytebotdOptions,
  bytebotdVersion,
  type RunningBytebotd,
  startBytebotd,
} from './start-bytebotd.ts';
