#!/usr/bin/env bash
# Integration test harness: a private mariadbd on a temporary datadir, unix socket and port, with
# binary logging on, started by the test and always stopped and removed afterwards (trap). Never
# the system service.
#
#   source "$(dirname "$0")/harness.sh"
#   harness_start_mariadb [--binlog-format=STATEMENT|ROW|MIXED] [--no-binlog] [extra mariadbd args]
#   sql "SELECT 1"                      # root over the socket
#   mp list backups                     # the mysqlpitr binary with the test's config
#   expect_exit 3 mp prune --older-than 1
#   check "what it proves" test "$a" = "$b"
#   harness_finish                      # prints "N passed, N failed", exits non-zero on failure
set -u
set -o pipefail

: "${MYSQLPITR_BIN:?MYSQLPITR_BIN must name the mysqlpitr binary (ctest sets it)}"
HARNESS_PASSED=0
HARNESS_FAILED=0
HARNESS_TMP=$(mktemp -d /tmp/mysqlpitr-it.XXXXXX)
HARNESS_PID=""
MYSQL_PASSWORD='s3cret pass"word'
export MYSQLPITR_TEST_TMP=$HARNESS_TMP

harness_cleanup() {
  if [ -n "$HARNESS_PID" ] && kill -0 "$HARNESS_PID" 2>/dev/null; then
    kill "$HARNESS_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$HARNESS_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$HARNESS_PID" 2>/dev/null || true
  fi
  if [ -z "${KEEP_TMP:-}" ]; then rm -rf "$HARNESS_TMP"; else echo "kept $HARNESS_TMP" >&2; fi
}
trap harness_cleanup EXIT
trap 'exit 130' INT TERM

skip() { echo "SKIP: $*"; exit 77; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# A freshly initialised datadir. mariadb-install-db takes seconds, so one pristine copy per server
# version is kept (under the build folder, or /tmp) and copied for each test.
install_datadir() {
  local target=$1
  local cache_root=${MYSQLPITR_BUILD_DIR:-/tmp}/mariadb-datadir-cache
  local version
  version=$(mariadbd --version | md5sum | cut -c1-12)
  local template=$cache_root/$version
  mkdir -p "$cache_root"
  (
    flock 9
    if [ ! -d "$template" ]; then
      rm -rf "$template.tmp"
      mariadb-install-db --no-defaults --datadir="$template.tmp" --user=root --skip-test-db \
        --auth-root-authentication-method=socket >"$HARNESS_TMP/install.log" 2>&1 ||
        { cat "$HARNESS_TMP/install.log"; echo "mariadb-install-db failed"; exit 1; }
      mv "$template.tmp" "$template"
    fi
  ) 9>"$cache_root/.lock" || exit 1
  cp -a "$template" "$target"
}

# Starts the server; sets SOCKET, PORT, DATADIR, CONFIG (a mysqlpitr.toml for user "backup").
harness_start_mariadb() {
  command -v mariadbd >/dev/null || skip "mariadbd not installed (apt-get install mariadb-server)"
  local binlog_args=(--log-bin="$HARNESS_TMP/data/mysql-bin" --binlog-format=ROW --server-id=1)
  local extra=()
  for arg in "$@"; do
    case "$arg" in
      --no-binlog) binlog_args=() ;;
      --binlog-format=*) binlog_args+=("$arg") ;;
      *) extra+=("$arg") ;;
    esac
  done
  DATADIR=$HARNESS_TMP/data
  SOCKET=$HARNESS_TMP/mysqld.sock
  PORT=$(free_port)
  install_datadir "$DATADIR"
  mariadbd --no-defaults --datadir="$DATADIR" --socket="$SOCKET" --port="$PORT" --bind-address=127.0.0.1 \
    --user=root --pid-file="$HARNESS_TMP/mysqld.pid" --log-error="$HARNESS_TMP/error.log" \
    --innodb-buffer-pool-size=128M --innodb-log-file-size=64M --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    "${binlog_args[@]}" "${extra[@]}" >>"$HARNESS_TMP/mariadbd.out" 2>&1 &
  HARNESS_PID=$!
  for _ in $(seq 1 300); do
    mariadb-admin --no-defaults -S "$SOCKET" -uroot ping >/dev/null 2>&1 && break
    kill -0 "$HARNESS_PID" 2>/dev/null || { cat "$HARNESS_TMP/error.log"; echo "mariadbd died"; exit 1; }
    sleep 0.1
  done
  mariadb-admin --no-defaults -S "$SOCKET" -uroot ping >/dev/null 2>&1 || { echo "mariadbd did not start"; exit 1; }
  local quoted=${MYSQL_PASSWORD//\'/\'\'}
  sql "CREATE USER 'backup'@'localhost' IDENTIFIED BY '$quoted';
       CREATE USER 'backup'@'127.0.0.1' IDENTIFIED BY '$quoted';
       GRANT ALL PRIVILEGES ON *.* TO 'backup'@'localhost' WITH GRANT OPTION;
       GRANT ALL PRIVILEGES ON *.* TO 'backup'@'127.0.0.1' WITH GRANT OPTION;"
  BACKUP_DIR=$HARNESS_TMP/backup
  mkdir -p "$BACKUP_DIR/historical" "$BACKUP_DIR/incremental" "$BACKUP_DIR/binlogs" "$BACKUP_DIR/mongo"
  CONFIG=$HARNESS_TMP/mysqlpitr.toml
  write_config "$CONFIG"
}

# Writes a configuration for the private server (socket, user backup) to $1.
write_config() {
  local escaped=${MYSQL_PASSWORD//\\/\\\\}
  escaped=${escaped//\"/\\\"}
  cat >"$1" <<TOML
[mysql]
socket = "$SOCKET"
user = "backup"
password = "$escaped"

[paths]
historical = "$BACKUP_DIR/historical"
schema = "$BACKUP_DIR/historical"
pitr_base = "$BACKUP_DIR/incremental"
binlog_archive = "$BACKUP_DIR/binlogs"

[mongo]
backup_dir = "$BACKUP_DIR/mongo"
TOML
  chmod 600 "$1"
}

sql() { mariadb --no-defaults -S "$SOCKET" -uroot -N -B -e "$1"; }
sql_db() { mariadb --no-defaults -S "$SOCKET" -uroot -N -B "$1" -e "$2"; }

# The binary under test with the test's configuration.
mp() { "$MYSQLPITR_BIN" -c "$CONFIG" "$@" </dev/null; }

pass() { HARNESS_PASSED=$((HARNESS_PASSED + 1)); echo "ok - $*"; }
fail() { HARNESS_FAILED=$((HARNESS_FAILED + 1)); echo "FAIL - $*"; }

# check "description" command...: passes when the command succeeds.
check() {
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# expect_exit CODE command...: runs the command, output in $OUT (stdout) and $ERR (stderr).
expect_exit() {
  local want=$1; shift
  local out_file=$HARNESS_TMP/out.$$ err_file=$HARNESS_TMP/err.$$
  "$@" >"$out_file" 2>"$err_file"
  local got=$?
  OUT=$(cat "$out_file"); ERR=$(cat "$err_file")
  if [ "$got" = "$want" ]; then
    pass "exit $want: $*"
  else
    fail "exit $got (wanted $want): $*"
    echo "  stdout: ${OUT:0:2000}"; echo "  stderr: ${ERR:0:2000}"
  fi
}

contains() { [[ "$1" == *"$2"* ]]; }

harness_finish() {
  echo "$HARNESS_PASSED passed, $HARNESS_FAILED failed"
  [ "$HARNESS_FAILED" -eq 0 ]
}

# matches TEXT REGEX: extended regular expression search (grep -E) in TEXT.
matches() { printf '%s\n' "$1" | grep -Eq -- "$2"; }
