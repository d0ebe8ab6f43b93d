#!/usr/bin/env bash
# Integration test harness: a private mariadbd on a temporary datadir, unix socket and port, with
# binary logging on, started by the test and always stopped and removed afterwards (trap). Never
# the system service.
#
#   source "$(dirname "$0")/harness.sh"
#   harness_start_mariadb [--binlog-format=STATEMENT|ROW|MIXED] [--no-binlog] [extra mariadbd args]
#   sql "SELECT 1"                      # root over the socket (sql -D shop "..."; stdin without SQL)
#   mp list backups                     # the mysqlpitr binary with the test's config
#   expect_exit 3 mp prune --older-than 1
#   check "what it proves" test "$a" = "$b"
#   check "restored as it was" same_text "$(fingerprint shop)" "$before"
#   skip_check "what it proves" "why it cannot run here"   # a failure under CI=true
#   harness_finish                      # prints "N passed, N failed", exits non-zero on failure
set -u
set -o pipefail

: "${MYSQLPITR_BIN:?MYSQLPITR_BIN must name the mysqlpitr binary (ctest sets it)}"
HARNESS_PASSED=0
HARNESS_FAILED=0
HARNESS_SKIPPED=0
HARNESS_TMP=$(mktemp -d /tmp/mysqlpitr-it.XXXXXX)
HARNESS_PID=""
MYSQL_PASSWORD='s3cret pass"word'
export MYSQLPITR_TEST_TMP=$HARNESS_TMP
# libmongoc opens /dev/shm/mongoc-<pid> at load time. mysqlpitr removes it at once
# (apps/mysqlpitr/mongoc_counters_file.cpp, tested by test_kill_leaves_nothing.sh), but the test
# programs linking libmongoc do not, and the tests kill -9 many runs.
export MONGOC_DISABLE_SHM=1

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
  # Its own tmpdir: internal temporary tables never meet another process's files in /tmp.
  mkdir -p "$HARNESS_TMP/server-tmp"
  mariadbd --no-defaults --datadir="$DATADIR" --socket="$SOCKET" --port="$PORT" --bind-address=127.0.0.1 \
    --tmpdir="$HARNESS_TMP/server-tmp" --user=root --pid-file="$HARNESS_TMP/mysqld.pid" --log-error="$HARNESS_TMP/error.log" \
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

# sql [-D DATABASE] [SQL]: the mariadb client as root over the socket, tab-separated without
# column names, in utf8mb4 whatever the locale; runs SQL, or what stdin holds when SQL is absent.
sql() {
  local database=()
  if [ "${1:-}" = -D ]; then database=(-D "$2"); shift 2; fi
  if [ $# -gt 0 ]; then
    mariadb --no-defaults --default-character-set=utf8mb4 -S "$SOCKET" -uroot -N -B "${database[@]}" -e "$1"
  else
    mariadb --no-defaults --default-character-set=utf8mb4 -S "$SOCKET" -uroot -N -B "${database[@]}"
  fi
}

# fingerprint DATABASE: everything an operator compares after a restore. Per base table its row
# count, CHECKSUM TABLE and SHOW CREATE TABLE; views, routines, triggers and events as the server
# describes them. The database's name appears only where the server's definitions hold it.
# FINGERPRINT_AUTO_INCREMENT=ignore leaves out the tables' AUTO_INCREMENT counters (a binlog
# replay does not advance them for inserts the original rolled back).
fingerprint() {
  local db=$1 table quoted
  local qdb="\`${db//\`/\`\`}\`" sdb=${db//\\/\\\\}
  sdb=${sdb//\'/\'\'}
  local strip='s/ AUTO_INCREMENT=[0-9]+//'
  [ "${FINGERPRINT_AUTO_INCREMENT:-}" = ignore ] || strip=''
  while IFS= read -r table; do
    [ -n "$table" ] || continue
    quoted="\`${table//\`/\`\`}\`"
    echo "table $table rows $(sql "SELECT COUNT(*) FROM $qdb.$quoted")"
    echo "checksum $(sql "CHECKSUM TABLE $qdb.$quoted EXTENDED" | cut -f2)"
    sql "SHOW CREATE TABLE $qdb.$quoted" | cut -f2- | sed -E "$strip"
  done < <(sql "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='$sdb' AND TABLE_TYPE='BASE TABLE' ORDER BY TABLE_NAME")
  sql "SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE, DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA='$sdb' ORDER BY TABLE_NAME"
  sql "SELECT ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION, SQL_MODE, DEFINER, DATA_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='$sdb' ORDER BY ROUTINE_TYPE, ROUTINE_NAME"
  sql "SELECT TRIGGER_NAME, EVENT_MANIPULATION, ACTION_TIMING, EVENT_OBJECT_TABLE, ACTION_ORDER, ACTION_STATEMENT, SQL_MODE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='$sdb' ORDER BY TRIGGER_NAME"
  sql "SELECT EVENT_NAME, EVENT_DEFINITION, INTERVAL_VALUE, INTERVAL_FIELD, STATUS, STARTS FROM information_schema.EVENTS WHERE EVENT_SCHEMA='$sdb' ORDER BY EVENT_NAME"
}

# same_text ACTUAL EXPECTED: true when equal, else shows the first differences (for a failing check).
same_text() {
  [ "$1" = "$2" ] && return 0
  diff <(printf '%s\n' "$2") <(printf '%s\n' "$1") | head -20 | sed 's/^/    /'
  return 1
}


# The binary under test with the test's configuration.
mp() { "$MYSQLPITR_BIN" -c "$CONFIG" "$@" </dev/null; }

pass() { HARNESS_PASSED=$((HARNESS_PASSED + 1)); echo "ok - $*"; }
fail() { HARNESS_FAILED=$((HARNESS_FAILED + 1)); echo "FAIL - $*"; }

# check "description" command...: passes when the command succeeds.
check() {
  local what=$1; shift
  if "$@"; then
    pass "$what"
  else
    fail "$what"
    # What the last expect_exit's command printed on stderr, to tell a product fault from the test's.
    [ -n "${ERR:-}" ] && printf '  last stderr: %s\n' "${ERR:0:1000}"
  fi
  return 0
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

# skip_check "what it proves" "why it cannot run here": a check this machine cannot make, said so
# in the output and the summary. Under CI (CI=true) it is a failure: CI installs every tool the
# tests use with scripts/install-deps, so a missing one there means a check silently lost.
skip_check() {
  case ${CI:-} in
    "" | false | 0)
      HARNESS_SKIPPED=$((HARNESS_SKIPPED + 1))
      echo "SKIP - $1: $2" ;;
    *) fail "$1: $2 (CI=$CI: scripts/install-deps provides it)" ;;
  esac
}

harness_finish() {
  if [ "$HARNESS_SKIPPED" -gt 0 ]; then
    echo "$HARNESS_PASSED passed, $HARNESS_FAILED failed, $HARNESS_SKIPPED skipped"
  else
    echo "$HARNESS_PASSED passed, $HARNESS_FAILED failed"
  fi
  [ "$HARNESS_FAILED" -eq 0 ]
}

# matches TEXT REGEX: extended regular expression search (grep -E) in TEXT.
matches() { printf '%s\n' "$1" | grep -Eq -- "$2"; }
