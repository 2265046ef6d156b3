#!/usr/bin/env bash
# A throw-away PostgreSQL for trying server cases by hand, made like the tests' own
# (tests/pg/PgTestCluster.h): initdb + pg_ctl in a new directory under /tmp, a unix socket in that
# directory and no TCP port, as `nobody` (setpriv) when run as root, superuser `tt` without a
# password.
#   scripts/pg-test-server.sh start        prints the directory and a case location to use
#   scripts/pg-test-server.sh stop DIR     stops the server and removes DIR
set -euo pipefail

bindir=$(pg_config --bindir 2>/dev/null || true)
if [ ! -x "$bindir/initdb" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
fi
[ -x "$bindir/initdb" ] || { echo "no PostgreSQL server binaries: run scripts/setup.sh" >&2; exit 1; }

as_server() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/tt-pg-XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown nobody:"$(id -gn nobody)" "$dir"
    cd "$dir"
    as_server "$bindir/initdb" -D "$dir/data" -U tt --auth=trust -E UTF8 --no-locale --no-sync >/dev/null
    printf 'local all tt trust\nlocal all all scram-sha-256\n' >"$dir/data/pg_hba.conf"
    as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir'" start
    echo "server: $dir (stop: $0 stop $dir)"
    echo "case:   postgresql://tt@/postgres?case=NAME&host=$dir"
    ;;
  stop)
    dir=${2:?usage: $0 stop DIR}
    [ -d "$dir/data" ] || { echo "$dir is not a server directory of this script" >&2; exit 1; }
    as_server "$bindir/pg_ctl" -D "$dir/data" -m fast -s stop || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
