export { type DesktopUser, desktopUserName, ensureDesktopUser, resolveDesktopUser } from './desktop-user.ts';
export { freePort } from './free-port.ts';
export { type DesktopOptions, type RunningDesktop, startDesktop } from './start-desktop.ts';
export { canConnect, isDisplayFree } from './x-display.ts';
