# The Bytebot agent (`npm run start:agent`, NestJS on port 9991): tasks API, queue and the model loop.
#
#   docker build -f deploy/agent.Dockerfile -t bytebot-agent:0.1.0 .          (from the repository root)
#
# Model keys, the token and database URLs are given at run time (environment), never baked in here.
# Needs BuildKit (Docker 23+ or buildx) for agent.Dockerfile.dockerignore beside this file.

ARG NODE_IMAGE=node:20-bookworm-slim

# Only the package manifests, so that `npm ci` below reruns when a dependency changes, not on every edit.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -name node_modules -prune -exec rm -rf {} + \
 && find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -type d -empty -delete

# The agent's production dependencies, plus tsx (a development dependency of the root, made a runtime one
# here before pruning), which runs our TypeScript. No install scripts run.
# Then what nothing reads at run time goes: source maps, type declarations, and sharp's WebAssembly build
# where its native one is there (the image stays smaller; see deploy/README.md for the sizes).
# npm's download cache is a cache mount: kept between builds (a cold build of the three images downloads
# each package once; a stalled download retried finds the rest there), never part of the image.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /app ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --prefer-offline --ignore-scripts --no-audit --no-fund --workspace @bytebot/agent --include-workspace-root \
 && npm pkg set "dependencies.tsx=$(node -p "require('./package.json').devDependencies.tsx")" \
 && npm pkg delete devDependencies.tsx \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund --workspace @bytebot/agent --include-workspace-root \
 && find node_modules \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -type f -delete \
 && if ls -d node_modules/@img/sharp-linux-* >/dev/null 2>&1; then rm -rf node_modules/@img/sharp-wasm32; fi

FROM ${NODE_IMAGE}
WORKDIR /app
COPY --from=deps /app ./
COPY package.json tsconfig.json ./
COPY packages/protocol packages/protocol
COPY packages/config packages/config
COPY packages/client packages/client
COPY packages/trajectory packages/trajectory
COPY packages/agent packages/agent
# The data directory (token file, PGlite when DATABASE_URL is unset) belongs to the user the agent runs as.
RUN install -d -o 1000 -g 1000 -m 0700 /data

# BYTEBOT_HOST=0.0.0.0 so that the UI container can reach the agent. npm runs scripts through bash, which
# execs the last command: `docker stop` reaches node itself, which then stops cleanly.
ENV NODE_ENV=production \
    BYTEBOT_HOST=0.0.0.0 \
    BYTEBOT_DATA_DIR=/data \
    NPM_CONFIG_SCRIPT_SHELL=/bin/bash \
    NPM_CONFIG_UPDATE_NOTIFIER=false
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 9991
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.AGENT_PORT || 9991) + '/health').then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "run", "start:agent"]
