#!/usr/bin/env bash
# Installs podman, buildah, debootstrap and docker-compose 1.29 from Debian's packages, and the podman
# settings a host without systemd and with a hybrid cgroup layout needs. Idempotent: what is already there
# is kept, so running it on every CI run costs a dpkg query and a few greps.
# Usage: deploy/install-podman.sh            (as root, or with password-less sudo)
#
# Why these settings (in /etc/containers/containers.conf, written only when missing):
#   runtime = "runc"             crun refuses the hybrid cgroup layout of this machine kind
#   cgroup_manager = "cgroupfs"  there is no systemd to ask for cgroups
#   default_ulimits = []         the default nofile/nproc limits cannot be set here
# Why docker-compose 1.29 (it talks to `podman system service`'s Docker-compatible socket) and not
# podman-compose 1.0.3: only docker-compose honours `depends_on: condition: service_healthy` and
# `service_completed_successfully`, which the compose files rely on (podman-compose 1.0.3 starts every
# service at once, in order but without waiting). See deploy/README.md.
set -euo pipefail

packages=(
  podman runc buildah conmon catatonit netavark aardvark-dns iptables uidmap
  debootstrap docker-compose
)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    exec sudo -n "$0" "$@"
  fi
  echo "install-podman.sh: run as root: sudo $0 $*" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  echo "podman packages: installing ${missing[*]}"
  # No recommends: docker-compose recommends docker.io, an engine we do not want next to podman.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "podman packages: all present"
fi

# containers.conf: each setting added to its table when the file does not set it already.
conf=/etc/containers/containers.conf
install -d -m 0755 /etc/containers
touch "$conf"

# set_in_table TABLE KEY LINE: appends LINE under [TABLE] unless KEY is set anywhere in the file.
set_in_table() {
  local table="$1" key="$2" line="$3"
  if grep -Eq "^[[:space:]]*${key}[[:space:]]*=" "$conf"; then return 0; fi
  if grep -Eq "^[[:space:]]*\[${table}\][[:space:]]*$" "$conf"; then
    sed -i "/^[[:space:]]*\[${table}\][[:space:]]*$/a ${line}" "$conf"
  else
    printf '\n[%s]\n%s\n' "$table" "$line" >>"$conf"
  fi
  echo "containers.conf: [$table] $line"
}
set_in_table engine runtime 'runtime = "runc"'
set_in_table engine cgroup_manager 'cgroup_manager = "cgroupfs"'
# Without systemd, podman would otherwise log through journald, which is not there either.
if ! [ -d /run/systemd/system ]; then
  set_in_table engine events_logger 'events_logger = "file"'
  set_in_table containers log_driver 'log_driver = "k8s-file"'
fi
set_in_table containers default_ulimits 'default_ulimits = []'

podman --version
docker-compose version --short
