export { type DesktopUser, desktopUserName, ensureDesktopUser, resolveDesktopUser } from './desktop-user.ts';
export { type DesktopOptions, type RunningDesktop, startDesktop } from './start-desktop.ts';
