#!/usr/bin/env bash
# A private PostgreSQL server for Cairn's tests.
# Usage: bash scripts/postgres.sh start|stop|status|url
#   start   starts the server if nothing answers on 127.0.0.1:$CAIRN_PG_PORT yet,
#           then prints the admin URL on stdout (and nothing else there)
#   stop    stops the server this checkout started
#   status  exits 0 when a server answers on the port
#   url     prints the admin URL without starting anything
# The cluster lives in .cairn/pg (gitignored), listens on 127.0.0.1 only, trusts
# local TCP connections, and trades durability for speed (fsync off): it holds
# test data only. PostgreSQL refuses to run as root, so as root the server runs
# as the `postgres` OS user (created by Debian's package).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${CAIRN_PG_PORT:-55432}"
user=cairn
url="postgres://$user:$user@127.0.0.1:$port/postgres"

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

# Runs a command as the OS user that owns the cluster (from /, which it can enter).
as_owner() {
  if [ -n "$owner" ]; then (cd / && runuser -u "$owner" -- "$@"); else "$@"; fi
}

answers() {
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$user" -d postgres >/dev/null 2>&1 &&
    "$bin/psql" "$url" -Atqc 'SELECT 1' >/dev/null 2>&1
}

# Picks the cluster folder: .cairn/pg when the owner can reach it, otherwise a
# folder under /var/tmp named after this checkout (a checkout under /root is
# closed to the postgres user).
choose_dir() {
  local preferred="$root/.cairn/pg"
  mkdir -p "$preferred"
  if [ -z "$owner" ]; then echo "$preferred"; return; fi
  chown "$owner" "$preferred"
  if as_owner test -w "$preferred" 2>/dev/null; then echo "$preferred"; return; fi
  local alt
  alt="/var/tmp/cairn-pg-$(printf '%s' "$root" | sha256sum | cut -c1-12)"
  mkdir -p "$alt"
  chown "$owner" "$alt"
  chmod 700 "$alt"
  echo "$alt"
}

cmd="${1:-}"
case "$cmd" in
  url) echo "$url"; exit 0 ;;
  start|stop|status) ;;
  *) echo "usage: bash scripts/postgres.sh start|stop|status|url" >&2; exit 2 ;;
esac

if ! bin="$(find_bin)"; then
  echo "PostgreSQL is not installed: install it with \`apt-get update && apt-get install -y postgresql\`" >&2
  exit 1
fi

owner=""
if [ "$(id -u)" = 0 ]; then
  owner=postgres
  if ! id "$owner" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
  fi
fi

if [ "$cmd" = status ]; then
  if answers; then echo "running: $url"; exit 0; else echo "not running" >&2; exit 1; fi
fi

dir="$(choose_dir)"
data="$dir/data"

if [ "$cmd" = stop ]; then
  if [ -f "$data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    log "stopped"
  else
    log "not running from $data"
  fi
  exit 0
fi

# start
if answers; then echo "$url"; exit 0; fi

if [ ! -f "$data/PG_VERSION" ]; then
  log "initialising a test cluster in $data"
  rm -rf "$data"
  as_owner "$bin/initdb" -D "$data" -U "$user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  cat >>"$data/postgresql.conf" <<EOF

# Cairn test cluster (scripts/postgres.sh)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  cat >"$data/pg_hba.conf" <<EOF
# TCP on 127.0.0.1 only; test data, no passwords needed.
host all all 127.0.0.1/32 trust
EOF
fi

log "starting PostgreSQL ($bin) on 127.0.0.1:$port"
if ! as_owner "$bin/pg_ctl" -D "$data" -o "-p $port" -l "$dir/server.log" -w -t 60 start >/dev/null; then
  log "failed to start; the end of $dir/server.log:"
  tail -n 20 "$dir/server.log" >&2 || true
  exit 1
fi
if ! answers; then
  log "started, but $url does not answer (is another server on port $port?)"
  exit 1
fi
echo "$url"
