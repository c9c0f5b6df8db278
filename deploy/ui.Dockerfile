# The Bytebot chat UI (`npm run build:ui`, then `npm run start:ui`: Next.js and its own server on port 9992,
# which passes the agent's API and the live view on, adding the token itself).
#
#   docker build -f deploy/ui.Dockerfile -t bytebot-ui:0.1.0 .                (from the repository root)
#
# The token and the UI's password are given at run time, never baked in here.
# Needs BuildKit (Docker 23+ or buildx) for ui.Dockerfile.dockerignore beside this file.

ARG NODE_IMAGE=node:20-bookworm-slim

# Only the package manifests, so that `npm ci` below reruns when a dependency changes, not on every edit.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -name node_modules -prune -exec rm -rf {} + \
 && find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -type d -empty -delete

# Build with every dependency of the UI (Next.js needs TypeScript to build), then keep only what the
# server needs to run, plus tsx (a development dependency of the root, made a runtime one before pruning).
# Then what the server never loads goes: Next's SWC compiler (the build's only), sharp (next/image's, which
# the UI does not use), Next's bundled docs, source maps and type declarations.
# npm's download cache is a cache mount: kept between builds (a cold build of the three images downloads
# each package once; a stalled download retried finds the rest there), never part of the image.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /app ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --prefer-offline --ignore-scripts --no-audit --no-fund --workspace @bytebot/ui --include-workspace-root
COPY tsconfig.json ./
COPY packages/protocol packages/protocol
COPY packages/config packages/config
COPY packages/ui packages/ui
RUN npm run build:ui \
 && rm -rf packages/ui/.next/cache \
 && npm pkg set "dependencies.tsx=$(node -p "require('./package.json').devDependencies.tsx")" \
 && npm pkg delete devDependencies.tsx \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund --workspace @bytebot/ui --include-workspace-root \
 && rm -rf node_modules/@next/swc-* node_modules/sharp node_modules/@img node_modules/next/dist/docs \
 && find node_modules \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -type f -delete

FROM ${NODE_IMAGE}
WORKDIR /app
COPY --from=build /app ./
COPY package.json ./
# Next.js may write its cache at run time; the data directory (token file, generated UI password) too.
RUN install -d -o 1000 -g 1000 -m 0755 packages/ui/.next/cache \
 && install -d -o 1000 -g 1000 -m 0700 /data

# BYTEBOT_HOST=0.0.0.0 so that the published port reaches the server. npm runs scripts through bash, which
# execs the last command: `docker stop` reaches node itself.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    BYTEBOT_HOST=0.0.0.0 \
    BYTEBOT_DATA_DIR=/data \
    NPM_CONFIG_SCRIPT_SHELL=/bin/bash \
    NPM_CONFIG_UPDATE_NOTIFIER=false
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 9992
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.UI_PORT || 9992) + '/health').then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "run", "start:ui"]
