# MongoDB integration helpers: the wire-protocol test double (NOT MongoDB), or the real server in
# MYSQLPITR_TEST_MONGODB_URI. Sets MONGO_PORT (test double) and writes $CONFIG with a [mongo] table.
source "$(dirname "$0")/harness.sh"

FIXTURES=${MYSQLPITR_SOURCE_DIR:?}/../shared/fixtures/mongodump
MONGO_DOUBLE_PID=""

mongo_cleanup() {
  if [ -n "$MONGO_DOUBLE_PID" ]; then kill "$MONGO_DOUBLE_PID" 2>/dev/null; wait "$MONGO_DOUBLE_PID" 2>/dev/null; fi
  harness_cleanup
}
trap mongo_cleanup EXIT

# mongo_start BACKUP_DIR: starts the test double (unless a real server is configured), writes $CONFIG.
mongo_start() {
  local backup_dir=$1
  mkdir -p "$backup_dir"
  CONFIG=$HARNESS_TMP/mysqlpitr.toml
  if [ -n "${MYSQLPITR_TEST_MONGODB_URI:-}" ]; then
    MONGO_TARGET="uri = \"$MYSQLPITR_TEST_MONGODB_URI\""
  else
    local double=${MYSQLPITR_BUILD_DIR:?}/tests/mongo_test_double
    [ -x "$double" ] || skip "mongo_test_double not built ($double)"
    "$double" >"$HARNESS_TMP/double.port" 2>"$HARNESS_TMP/double.log" &
    MONGO_DOUBLE_PID=$!
    for _ in $(seq 1 50); do [ -s "$HARNESS_TMP/double.port" ] && break; sleep 0.1; done
    MONGO_PORT=$(head -1 "$HARNESS_TMP/double.port")
    [ -n "$MONGO_PORT" ] || { cat "$HARNESS_TMP/double.log"; skip "the test double did not start"; }
    MONGO_TARGET=$(printf 'host = "127.0.0.1"\nport = %s' "$MONGO_PORT")
  fi
  cat >"$CONFIG" <<TOML
[backup]
date_format = "%Y-%m-%d_%H-%M-%S"
jobs = 2

[mongo]
$MONGO_TARGET
backup_dir = "$backup_dir"
TOML
  chmod 600 "$CONFIG"
}

is_test_double() { [ -z "${MYSQLPITR_TEST_MONGODB_URI:-}" ]; }

# Writes one BSON document {_id: N} to stdout (int32 _id).
bson_int_id() { python3 -c 'import struct,sys; n=int(sys.argv[1]); b=b"\x10_id\x00"+struct.pack("<i",n)+b"\x00"; sys.stdout.buffer.write(struct.pack("<i",len(b)+4)+b)' "$1"; }
