# A throwaway PostgreSQL server on loopback for the web app's tests. Sourced by scripts/test.
# When JUESUAN_TEST_POSTGRES_URL is already set, that server is used and nothing is started.
# Otherwise: installs the Debian server package when absent, initdb's a cluster in a temp
# directory (as the user `postgres` when running as root: the server refuses root), starts it
# on a free loopback port, exports JUESUAN_TEST_POSTGRES_URL and stops it when the shell exits.

start_test_postgres() {
  if [ -n "${JUESUAN_TEST_POSTGRES_URL:-}" ]; then return 0; fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    ensure_packages postgresql
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  fi
  local dir port as=()
  dir=$(mktemp -d /tmp/juesuan-pg.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$dir"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U juesuan --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off" start >/dev/null ||
    { cat "$dir/server.log" >&2; return 1; }
  JUESUAN_TEST_PG_STOP="${as[*]} $bin/pg_ctl -D $dir/data -m immediate stop"
  JUESUAN_TEST_PG_DIR=$dir
  trap 'stop_test_postgres' EXIT
  export JUESUAN_TEST_POSTGRES_URL="postgres://juesuan@127.0.0.1:$port/postgres"
  echo "PostgreSQL for the tests: $JUESUAN_TEST_POSTGRES_URL" >&2
}

stop_test_postgres() {
  if [ -n "${JUESUAN_TEST_PG_STOP:-}" ]; then
    $JUESUAN_TEST_PG_STOP >/dev/null 2>&1 || true
    rm -rf "$JUESUAN_TEST_PG_DIR"
  fi
}
