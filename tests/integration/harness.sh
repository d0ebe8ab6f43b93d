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
#
# S3 (no server needed): start_s3 [BUCKET] starts s3rver and creates the bucket; aws_s3 ls s3://$S3_BUCKET
# is the reference client; start_s3_fault_proxy RULE... puts tests/tools/s3_fault_proxy.py in front
# of it ($S3_PROXY_ENDPOINT, faults logged in $S3_PROXY_LOG); append_s3_config FILE MODE [ENDPOINT].
set -u
set -o pipefail

: "${MYSQLPITR_BIN:?MYSQLPITR_BIN must name the mysqlpitr binary (ctest sets it)}"
HARNESS_PASSED=0
HARNESS_FAILED=0
HARNESS_SKIPPED=0
HARNESS_TMP=$(mktemp -d /tmp/mysqlpitr-it.XXXXXX)
HARNESS_PID=""
HARNESS_HELPERS=()  # pids of the helper servers started here (s3rver, fault proxies): stopped at exit
HARNESS_SOURCE_DIR=${MYSQLPITR_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
MYSQL_PASSWORD='s3cret pass"word'
export MYSQLPITR_TEST_TMP=$HARNESS_TMP
# libmongoc opens /dev/shm/mongoc-<pid> at load time. mysqlpitr removes it at once
# (apps/mysqlpitr/mongoc_counters_file.cpp, tested by test_kill_leaves_nothing.sh), but the test
# programs linking libmongoc do not, and the tests kill -9 many runs.
export MONGOC_DISABLE_SHM=1

# stop_process PID TENTHS: TERM, up to TENTHS tenths of a second to go, then KILL.
stop_process() {
  local pid=$1 tenths=$2
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$tenths"); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

harness_cleanup() {
  local pid
  for pid in "${HARNESS_HELPERS[@]}"; do stop_process "$pid" 50; done
  [ -z "$HARNESS_PID" ] || stop_process "$HARNESS_PID" 100
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

# wait_for_mariadbd PID SOCKET ERROR_LOG: until the server answers; ends the test when it dies or
# does not answer in 30 s.
wait_for_mariadbd() {
  for _ in $(seq 1 300); do
    mariadb-admin --no-defaults -S "$2" -uroot ping >/dev/null 2>&1 && break
    kill -0 "$1" 2>/dev/null || { cat "$3"; echo "mariadbd died"; exit 1; }
    sleep 0.1
  done
  mariadb-admin --no-defaults -S "$2" -uroot ping >/dev/null 2>&1 || { echo "mariadbd did not start"; exit 1; }
}

# Starts mariadbd with HARNESS_MARIADBD_ARGS and waits until it answers.
harness_launch_mariadbd() {
  mariadbd "${HARNESS_MARIADBD_ARGS[@]}" >>"$HARNESS_TMP/mariadbd.out" 2>&1 &
  HARNESS_PID=$!
  wait_for_mariadbd "$HARNESS_PID" "$SOCKET" "$HARNESS_TMP/error.log"
}

# The user the configurations name, with every privilege, on the server at $SOCKET.
create_backup_user() {
  local quoted=${MYSQL_PASSWORD//\'/\'\'}
  sql "CREATE USER 'backup'@'localhost' IDENTIFIED BY '$quoted';
       CREATE USER 'backup'@'127.0.0.1' IDENTIFIED BY '$quoted';
       GRANT ALL PRIVILEGES ON *.* TO 'backup'@'localhost' WITH GRANT OPTION;
       GRANT ALL PRIVILEGES ON *.* TO 'backup'@'127.0.0.1' WITH GRANT OPTION;"
}

# A second private server (no binlog, no TCP) with the same user, e.g. a drill server; sets
# SOCKET2. Stopped at exit with the helpers. `SOCKET=$SOCKET2 sql ...` talks to it.
harness_start_second_mariadb() {
  SOCKET2=$HARNESS_TMP/mysqld2.sock
  install_datadir "$HARNESS_TMP/data2"
  mkdir -p "$HARNESS_TMP/server2-tmp"
  mariadbd --no-defaults --datadir="$HARNESS_TMP/data2" --socket="$SOCKET2" --skip-networking \
    --tmpdir="$HARNESS_TMP/server2-tmp" --user=root --pid-file="$HARNESS_TMP/mysqld2.pid" \
    --log-error="$HARNESS_TMP/error2.log" --innodb-buffer-pool-size=64M --innodb-log-file-size=48M \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci >>"$HARNESS_TMP/mariadbd2.out" 2>&1 &
  HARNESS_HELPERS+=("$!")
  wait_for_mariadbd "$!" "$SOCKET2" "$HARNESS_TMP/error2.log"
  SOCKET=$SOCKET2 create_backup_user
}

# harness_restart_mariadb [--kill]: stops the server (SIGTERM, or SIGKILL: a crash) and starts it
# again on the same datadir, socket and port.
harness_restart_mariadb() {
  if [ "${1:-}" = --kill ]; then
    kill -9 "$HARNESS_PID" 2>/dev/null || true
    while kill -0 "$HARNESS_PID" 2>/dev/null; do sleep 0.05; done
  else
    stop_process "$HARNESS_PID" 300
  fi
  { wait "$HARNESS_PID"; } 2>/dev/null || true
  harness_launch_mariadbd
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
  HARNESS_MARIADBD_ARGS=(--no-defaults --datadir="$DATADIR" --socket="$SOCKET" --port="$PORT" --bind-address=127.0.0.1
    --tmpdir="$HARNESS_TMP/server-tmp" --user=root --pid-file="$HARNESS_TMP/mysqld.pid" --log-error="$HARNESS_TMP/error.log"
    --innodb-buffer-pool-size=128M --innodb-log-file-size=64M --skip-name-resolve
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci
    "${binlog_args[@]}" "${extra[@]}")
  harness_launch_mariadbd
  create_backup_user
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
# flip_bit FILE OFFSET: one bit of the byte at OFFSET inverted (never a no-op, as writing a fixed
# byte over random ciphertext is once in 256 runs).
flip_bit() {
  python3 -c 'import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2])); b = f.read(1)[0]; f.seek(int(sys.argv[2])); f.write(bytes([b ^ 0x40]))' "$1" "$2"
}

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

# encrypted_config: a new key ($KEY, its id $KEY_ID) and the test's configuration with
# encryption.key_file set to it ($ENC), which mpe runs the binary with.
encrypted_config() {
  KEY=$HARNESS_TMP/site.key
  expect_exit 0 mp config new-key "$KEY"
  KEY_ID=$(grep -Eo 'key [0-9a-f]{16}' <<<"$OUT"$'\n'"$ERR" | head -1 | cut -c5-)
  check "new-key names the key id" test -n "$KEY_ID"
  ENC=$HARNESS_TMP/enc.toml
  cp "$CONFIG" "$ENC"
  printf '\n[encryption]\nkey_file = "%s"\n' "$KEY" >>"$ENC"
}
mpe() { "$MYSQLPITR_BIN" -c "$ENC" "$@" </dev/null; }

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
lacks() { ! contains "$1" "$2"; }

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

# ---------------------------------------------------------------------------------------------
# S3: a private s3rver (npm's, installed by scripts/install-deps) on 127.0.0.1, the aws client as
# the reference, and a fault-injecting proxy. Each is stopped by harness_cleanup like mariadbd.

# harness_missing "what": a tool this script needs is not installed: skipped here, a failure under
# CI, which installs every tool with scripts/install-deps.
harness_missing() {
  case ${CI:-} in
    "" | false | 0) skip "$1 (scripts/install-deps installs it)" ;;
    *) echo "FAIL - $1 (CI=$CI: scripts/install-deps installs it)"; exit 1 ;;
  esac
}

# The reference client: Debian's awscli package where present, else the first aws on PATH.
harness_aws_bin() {
  if [ -x /usr/bin/aws ]; then echo /usr/bin/aws; else command -v aws; fi
}

# start_s3 [BUCKET]: s3rver on a port of its choosing, data under $HARNESS_TMP, and BUCKET (default
# mysqlpitr-test; "": none, which saves the aws client's start) created with the aws client.
# Each call starts another server. Exports S3_ENDPOINT (http://127.0.0.1:PORT), S3_PORT,
# S3_BUCKET, S3_REGION, S3_ACCESS_KEY, S3_SECRET_KEY (s3rver's fixed S3RVER/S3RVER), S3_PID and
# S3_DIR (its files; S3_DIR/data holds the buckets as folders). S3_VHOST_ENDPOINT
# (http://s3.localhost:PORT) is the endpoint for virtual-host addressing: BUCKET.s3.localhost,
# which libcurl resolves to 127.0.0.1 itself. With S3_TLS=1 it speaks https only, with a
# certificate made for the run (127.0.0.1, localhost, s3.localhost, *.s3.localhost) whose CA file
# is S3_CA_FILE.
start_s3() {
  local bucket=${1-mysqlpitr-test} s3rver_bin
  s3rver_bin=$(command -v s3rver || true)
  if [ -z "$s3rver_bin" ] && command -v npm >/dev/null; then s3rver_bin="$(npm prefix --global)/bin/s3rver"; fi
  [ -n "$s3rver_bin" ] && [ -x "$s3rver_bin" ] || harness_missing "s3rver not installed"
  [ -n "$(harness_aws_bin)" ] || harness_missing "aws (awscli) not installed"
  S3_DIR=$(mktemp -d "$HARNESS_TMP/s3rver.XXXX")
  mkdir -p "$S3_DIR/data" "$HARNESS_TMP/aws"
  local scheme=http tls=()
  S3_CA_FILE=""
  if [ "${S3_TLS:-}" = 1 ]; then
    scheme=https
    S3_CA_FILE=$S3_DIR/ca.pem
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=mysqlpitr-test \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:s3.localhost,DNS:*.s3.localhost" \
      -addext "basicConstraints=critical,CA:TRUE" -keyout "$S3_DIR/key.pem" -out "$S3_CA_FILE" >"$S3_DIR/openssl.out" 2>&1 ||
      { cat "$S3_DIR/openssl.out"; echo "openssl could not make a certificate"; exit 1; }
    tls=(--key "$S3_DIR/key.pem" --cert "$S3_CA_FILE")
  fi
  # Port 0: the kernel picks a free port, which s3rver prints once it listens (no race with
  # another test taking the port between a probe and the start).
  "$s3rver_bin" --directory "$S3_DIR/data" --address 127.0.0.1 --port 0 --service-endpoint localhost "${tls[@]}" \
    >"$S3_DIR/s3rver.log" 2>&1 &
  S3_PID=$!
  HARNESS_HELPERS+=("$S3_PID")
  S3_PORT=""
  for _ in $(seq 1 600); do
    S3_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$S3_DIR/s3rver.log")
    [ -n "$S3_PORT" ] && break
    kill -0 "$S3_PID" 2>/dev/null || { cat "$S3_DIR/s3rver.log"; echo "s3rver died"; exit 1; }
    sleep 0.02
  done
  [ -n "$S3_PORT" ] || { cat "$S3_DIR/s3rver.log"; echo "s3rver did not start"; exit 1; }
  export S3_PID S3_PORT S3_DIR S3_CA_FILE S3_ENDPOINT=$scheme://127.0.0.1:$S3_PORT \
    S3_VHOST_ENDPOINT=$scheme://s3.localhost:$S3_PORT S3_BUCKET=$bucket S3_REGION=us-east-1 \
    S3_ACCESS_KEY=S3RVER S3_SECRET_KEY=S3RVER
  # Nothing from $HOME/.aws, the caller's AWS_* variables or a pager reaches the reference client.
  printf '[default]\nregion = %s\n' "$S3_REGION" >"$HARNESS_TMP/aws/config"
  : >"$HARNESS_TMP/aws/credentials"
  [ -z "$bucket" ] ||
    aws_s3 mb "s3://$S3_BUCKET" >"$S3_DIR/mb.out" 2>&1 || { cat "$S3_DIR/mb.out"; echo "aws s3 mb failed"; exit 1; }
}

# aws_cli ARGS...: the reference client against $S3_ENDPOINT (override: AWS_ENDPOINT=URL aws_cli ...).
aws_cli() {
  env -u AWS_PROFILE -u AWS_SESSION_TOKEN -u AWS_CA_BUNDLE -u AWS_ENDPOINT_URL \
    AWS_CONFIG_FILE="$HARNESS_TMP/aws/config" AWS_SHARED_CREDENTIALS_FILE="$HARNESS_TMP/aws/credentials" \
    AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY" AWS_DEFAULT_REGION="$S3_REGION" \
    AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true \
    "$(harness_aws_bin)" --endpoint-url "${AWS_ENDPOINT:-$S3_ENDPOINT}" ${S3_CA_FILE:+--ca-bundle "$S3_CA_FILE"} \
    "$@" </dev/null
}
aws_s3() { aws_cli s3 "$@"; }
aws_s3api() { aws_cli s3api "$@"; }

# start_s3_fault_proxy RULE...: tests/tools/s3_fault_proxy.py between a client and s3rver (rules:
# see its header, e.g. "503:parts:every=2"). Exports S3_PROXY_ENDPOINT, S3_PROXY_PORT,
# S3_PROXY_LOG (one line per request: FAULT ... or PASS ...) and S3_PROXY_PID. Each call starts a
# new proxy; stop_s3_fault_proxy stops the last one. PROXY_UPSTREAM=URL puts it in front of another
# HTTP server than s3rver.
start_s3_fault_proxy() {
  local upstream=${PROXY_UPSTREAM:-${S3_ENDPOINT:?start_s3 first}} dir
  dir=$(mktemp -d "$HARNESS_TMP/fault-proxy.XXXX")
  python3 "$HARNESS_SOURCE_DIR/tests/tools/s3_fault_proxy.py" --upstream "$upstream" \
    --port-file "$dir/port" --log "$dir/requests.log" "$@" >"$dir/proxy.out" 2>&1 &
  S3_PROXY_PID=$!
  HARNESS_HELPERS+=("$S3_PROXY_PID")
  for _ in $(seq 1 500); do
    [ -s "$dir/port" ] && break
    kill -0 "$S3_PROXY_PID" 2>/dev/null || { cat "$dir/proxy.out"; echo "the fault proxy did not start"; exit 1; }
    sleep 0.02
  done
  [ -s "$dir/port" ] || { echo "the fault proxy did not start"; exit 1; }
  S3_PROXY_PORT=$(cat "$dir/port")
  touch "$dir/requests.log"
  export S3_PROXY_PID S3_PROXY_PORT S3_PROXY_ENDPOINT=http://127.0.0.1:$S3_PROXY_PORT S3_PROXY_LOG=$dir/requests.log
}
stop_s3_fault_proxy() { stop_process "$S3_PROXY_PID" 50; }

# proxy_faults [KIND]: how many faults (of KIND) the last proxy injected so far.
proxy_faults() { grep -c "^FAULT ${1:-}" "$S3_PROXY_LOG"; }

# append_s3_config FILE MODE [ENDPOINT]: the [repository] and [s3] sections for the private s3rver
# (or ENDPOINT, e.g. $S3_PROXY_ENDPOINT) appended to a configuration written by write_config.
append_s3_config() {
  cat >>"$1" <<TOML

[repository]
mode = "$2"

[s3]
endpoint = "${3:-$S3_ENDPOINT}"
bucket = "$S3_BUCKET"
region = "$S3_REGION"
access_key = "$S3_ACCESS_KEY"
secret_key = "$S3_SECRET_KEY"
addressing = "path"
TOML
}
