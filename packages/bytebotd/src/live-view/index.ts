export { createNoVncHandler } from './novnc-files.ts';
export { attachWebsockifyProxy } from './websockify-proxy.ts';
