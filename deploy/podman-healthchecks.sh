#!/usr/bin/env bash
# Runs the health checks of running podman containers, for hosts where no systemd does it. Podman 4.3
# schedules each container's HEALTHCHECK with a systemd timer; without systemd (a container host such as
# this machine kind, WSL, many CI runners) it logs "unable to get systemd connection to add
# healthchecks", no check ever runs, every container stays "starting", and compose's
# `depends_on: condition: service_healthy` waits forever. This loop runs them instead: a container still
# starting is checked every STARTING_INTERVAL seconds (as Docker's start_interval does), one that has
# passed at the interval of its own health check.
#
#   deploy/podman-healthchecks.sh &            (leave it running while the stack runs; stop it with kill)
#   deploy/podman-healthchecks.sh --once       (check every container due now, once, and exit)
#
# Environment: STARTING_INTERVAL (2), POLL_SECONDS (1).
set -uo pipefail

starting_interval="${STARTING_INTERVAL:-2}"
poll="${POLL_SECONDS:-1}"
once=false
[ "${1:-}" = --once ] && once=true

if [ -d /run/systemd/system ] && [ "$once" = false ]; then
  echo "podman-healthchecks: systemd runs podman's health checks here; nothing to do" >&2
fi

declare -A last_run=()
declare -A running=()

# Seconds in a Go duration as podman prints it ("15s", "1m30s", "500ms"); 30 when absent.
seconds() {
  local text="$1" total=0 number unit
  [ -z "$text" ] || [ "$text" = "<nil>" ] || [ "$text" = 0s ] && { echo 30; return; }
  while [[ $text =~ ^([0-9.]+)(h|ms|m|s)(.*)$ ]]; do
    number="${BASH_REMATCH[1]%.*}"
    unit="${BASH_REMATCH[2]}"
    text="${BASH_REMATCH[3]}"
    case "$unit" in
      h) total=$((total + number * 3600)) ;;
      m) total=$((total + number * 60)) ;;
      s) total=$((total + number)) ;;
      ms) ;;
    esac
  done
  [ "$total" -lt 1 ] && total=1
  echo "$total"
}

while :; do
  now="$(date +%s)"
  # Reap finished checks.
  for id in "${!running[@]}"; do
    kill -0 "${running[$id]}" 2>/dev/null || unset "running[$id]"
  done
  ids="$(podman ps --quiet --no-trunc --filter health=starting --filter health=healthy --filter health=unhealthy 2>/dev/null)"
  if [ -n "$ids" ]; then
    # shellcheck disable=SC2086
    while read -r id status interval; do
      [ -n "$id" ] || continue
      [ -z "${running[$id]:-}" ] || continue
      if [ "$status" = starting ]; then every="$starting_interval"; else every="$(seconds "$interval")"; fi
      if [ $((now - ${last_run[$id]:-0})) -ge "$every" ]; then
        last_run[$id]="$now"
        podman healthcheck run "$id" >/dev/null 2>&1 &
        running[$id]=$!
      fi
    done < <(podman inspect --format '{{.Id}} {{.State.Health.Status}} {{.Config.Healthcheck.Interval}}' $ids 2>/dev/null)
  fi
  if [ "$once" = true ]; then
    wait
    exit 0
  fi
  sleep "$poll"
done
