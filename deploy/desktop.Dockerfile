# The Bytebot desktop: Xvfb, XFCE, Firefox and x11vnc, started and watched by the desktop runtime, and
# bytebotd on port 9990 (`npm run start:desktop`), on Ubuntu 22.04 (or Debian bookworm, see below).
#
#   docker build -f deploy/desktop.Dockerfile -t bytebot-desktop:0.1.0 .      (from the repository root)
#   docker run --init --shm-size=2g -p 127.0.0.1:9990:9990 -v bytebot-data:/data bytebot-desktop:0.1.0
#
# On Debian bookworm instead (where Ubuntu's image cannot be pulled; deploy/local-base-images.sh makes
# localhost/debian:bookworm), with Debian's own firefox-esr:
#   podman build -f deploy/desktop.Dockerfile --build-arg BASE_IMAGE=localhost/debian:bookworm \
#     --build-arg FIREFOX_SOURCE=distro -t bytebot-desktop:0.1.0 .
#
# It runs as root: the runtime creates the user `bytebot` (with sudo) at start and runs the session, the
# applications and the files it writes as that user; bytebotd keeps root only to start them as `bytebot`.
# Needs BuildKit (Docker 23+ or buildx) for desktop.Dockerfile.dockerignore beside this file.

ARG NODE_IMAGE=node:20-bookworm-slim
# The desktop's distribution: Ubuntu 22.04, or Debian bookworm (debian:bookworm, localhost/debian:bookworm).
ARG BASE_IMAGE=ubuntu:22.04

# Only the package manifests, so that `npm ci` below reruns when a dependency changes, not on every edit.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -name node_modules -prune -exec rm -rf {} + \
 && find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -type d -empty -delete

# The production dependencies of bytebotd and the desktop runtime, plus tsx, which runs our TypeScript.
# tsx is a development dependency of the repository root, so it is made a runtime one here before pruning.
# No install scripts run: every native module used (libnut, sharp) ships prebuilt in its package.
# Then what nothing reads at run time goes: source maps, type declarations, and sharp's WebAssembly build
# where its native one is there (the image stays smaller; see deploy/README.md for the sizes).
# npm's download cache is a cache mount: kept between builds (a cold build of the three images downloads
# each package once; a stalled download retried finds the rest there), never part of the image.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /app ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --prefer-offline --ignore-scripts --no-audit --no-fund --workspace @bytebot/bytebotd --include-workspace-root \
 && npm pkg set "dependencies.tsx=$(node -p "require('./package.json').devDependencies.tsx")" \
 && npm pkg delete devDependencies.tsx \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund --workspace @bytebot/bytebotd --include-workspace-root \
 && find node_modules \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -type f -delete \
 && if ls -d node_modules/@img/sharp-linux-* >/dev/null 2>&1; then rm -rf node_modules/@img/sharp-wasm32; fi

FROM ${BASE_IMAGE}
# Where Firefox comes from: `mozilla` (Mozilla's APT repository; the default, and the only way on Ubuntu)
# or `distro` (the distribution's own firefox-esr: Debian's is a real package).
ARG FIREFOX_SOURCE=mozilla
ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8

# Firefox. Ubuntu 22.04's `firefox` package is a stub that installs the snap, and snapd does not run in a
# container, so the browser would never start. Mozilla's own APT repository has real .deb packages: its
# key is checked against Mozilla's published fingerprint, and the pin prefers its packages and forbids
# Ubuntu's stub (also for a later `sudo apt-get install firefox` on the desktop). install-desktop.sh
# then installs firefox-esr or firefox from there, whichever the repository offers.
# ca-certificates, curl and gnupg are the only packages named in this file: they fetch and check that key.
# Every package of the desktop itself is in install-desktop.sh, the one list, run below.
# With FIREFOX_SOURCE=distro nothing is added: the distribution must have a real firefox-esr (Debian),
# which install-desktop.sh then installs; Ubuntu has none, so that combination stops here.
RUN case "$FIREFOX_SOURCE" in \
    distro) \
      apt-get update \
      && { apt-cache show firefox-esr >/dev/null 2>&1 \
           || { echo "FIREFOX_SOURCE=distro: no firefox-esr package here; use FIREFOX_SOURCE=mozilla" >&2; exit 1; }; } ;; \
    mozilla) \
      apt-get update \
      && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
      && install -d -m 0755 /etc/apt/keyrings \
      && curl -fsSL --retry 3 https://packages.mozilla.org/apt/repo-signing-key.gpg -o /etc/apt/keyrings/packages.mozilla.org.asc \
      && fingerprint="$(gpg --show-keys --with-colons /etc/apt/keyrings/packages.mozilla.org.asc | awk -F: '$1 == "fpr" { print $10; exit }')" \
      && test "$fingerprint" = 35BAA0B33E9EB396F59CA838C0BA5CE6DC6315A3 \
      && echo 'deb [signed-by=/etc/apt/keyrings/packages.mozilla.org.asc] https://packages.mozilla.org/apt mozilla main' \
           > /etc/apt/sources.list.d/mozilla.list \
      && printf 'Package: *\nPin: origin packages.mozilla.org\nPin-Priority: 1000\n\nPackage: firefox*\nPin: release o=Ubuntu\nPin-Priority: -1\n' \
           > /etc/apt/preferences.d/mozilla ;; \
    *) echo "FIREFOX_SOURCE must be mozilla or distro, got '$FIREFOX_SOURCE'" >&2; exit 1 ;; \
  esac \
 && rm -rf /var/lib/apt/lists/*

# The desktop's Debian packages: the same idempotent script CI and `npm start` use.
COPY packages/desktop/scripts/install-desktop.sh /app/packages/desktop/scripts/install-desktop.sh
RUN bash /app/packages/desktop/scripts/install-desktop.sh \
 && rm -rf /var/lib/apt/lists/*

# Node.js from the official image (the same build the dependencies were installed with).
COPY --from=deps /usr/local/bin/node /usr/local/bin/node
COPY --from=deps /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version

WORKDIR /app
COPY --from=deps /app ./
COPY package.json tsconfig.json ./
COPY packages/protocol packages/protocol
COPY packages/config packages/config
COPY packages/desktop packages/desktop
COPY packages/bytebotd packages/bytebotd

# BYTEBOT_HOST=0.0.0.0: other containers (the agent, the UI) must reach bytebotd; x11vnc stays on
# 127.0.0.1 inside the container. The token is generated into /data/token at first start unless
# BYTEBOT_TOKEN is given at run time; mount a volume there to keep it and share it.
# npm runs scripts through bash, which execs the last command: `docker stop` then reaches node itself
# (with sh, npm's child shell dies and node never hears the signal).
ENV NODE_ENV=production \
    BYTEBOT_HOST=0.0.0.0 \
    BYTEBOT_DATA_DIR=/data \
    NPM_CONFIG_SCRIPT_SHELL=/bin/bash \
    NPM_CONFIG_UPDATE_NOTIFIER=false
EXPOSE 9990
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.BYTEBOTD_PORT || 9990) + '/health').then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "run", "start:desktop"]
