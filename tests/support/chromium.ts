/**
 * Headless Chromium as this machine allows it: Debian's build, no sandbox as root, and nothing that
 * reaches for the network on its own (the closed network refuses it, noisily).
 */
export const chromiumLaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
