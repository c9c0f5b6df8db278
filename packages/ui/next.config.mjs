/** The UI is served by server/ui-server.ts, which also proxies the agent and the live view. */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Our packages are TypeScript sources (with .ts extensions in their imports), compiled by Next too.
  transpilePackages: ['@bytebot/protocol'],
  // The repository's own lint and type checks cover this package; the build does not repeat them.
  typescript: { ignoreBuildErrors: true },
  turbopack: { root: new URL('../..', import.meta.url).pathname },
};

export default config;
