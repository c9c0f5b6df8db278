import { type DesktopUser, resolveDesktopUser } from '@bytebot/desktop';
import type { DesktopSession } from './computer/desktop-session.ts';

/** The session bytebotd drives when started on its own: the display and cookie from its environment. */
export function desktopSessionFromEnvironment(
  display: string,
  user: DesktopUser = resolveDesktopUser(),
): DesktopSession {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined) environment[name] = value;
  }
  Object.assign(environment, {
    DISPLAY: display,
    HOME: user.home,
    USER: user.name,
    LOGNAME: user.name,
  });
  return { display, user, environment };
}
