#!/bin/bash
# As the official redis image: own /data, drop to `redis`, and leave protected mode off (the official
# image builds it off) unless the command sets it.
set -euo pipefail
if [ "${1:-}" != redis-server ]; then exec "$@"; fi
if [ "$(id -u)" = 0 ]; then
  chown -R redis:redis /data
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi
case " $* " in
  *" --protected-mode "*) exec "$@" ;;
  *) exec "$@" --protected-mode no ;;
esac
