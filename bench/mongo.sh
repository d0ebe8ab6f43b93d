#!/usr/bin/env bash
# MongoDB benchmark: mysqlpitr mongo-restore and backup --kind mongo against the wire-protocol
# test double (NOT MongoDB: it measures our side, libmongoc and the wire, not a storage engine).
# For each collection size: documents per second of restore and of backup, and mysqlpitr's peak
# resident memory (/usr/bin/time -v), which must not grow with the collection size.
#
#   MYSQLPITR_BIN=build/apps/mysqlpitr/mysqlpitr MONGO_DOUBLE=build/tests/mongo_test_double \
#     bench/mongo.sh [--append bench/RESULTS.md]
# Knobs: SIZES="100000 400000" (documents) JOBS=2 GZIP=0|1
set -u
set -o pipefail
: "${MYSQLPITR_BIN:?set MYSQLPITR_BIN to the mysqlpitr binary}"
: "${MONGO_DOUBLE:?set MONGO_DOUBLE to the mongo_test_double binary}"
SIZES=${SIZES:-"100000 400000"}
JOBS=${JOBS:-2}
GZIP=${GZIP:-0}
APPEND=""
[ "${1:-}" = "--append" ] && APPEND=${2:?--append needs a file}
[ -x /usr/bin/time ] || { echo "bench/mongo.sh: /usr/bin/time is not installed (apt-get install time)" >&2; exit 77; }

TMP=$(mktemp -d /tmp/mysqlpitr-bench-mongo.XXXXXX)
DOUBLE_PID=""
cleanup() { [ -n "$DOUBLE_PID" ] && kill "$DOUBLE_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

# A mongodump folder bench/orders.bson of N documents of about 300 bytes (int _id, strings, a
# double, a nested document, an array), written by Python's struct module.
make_dump() {
  mkdir -p "$TMP/dump_$1/bench"
  python3 - "$1" "$TMP/dump_$1/bench/orders.bson" <<'PY'
import struct, sys
n, path = int(sys.argv[1]), sys.argv[2]
def cstr(s): return s.encode() + b"\0"
def string(k, v): b = v.encode() + b"\0"; return b"\x02" + cstr(k) + struct.pack("<i", len(b)) + b
def doc(body): return struct.pack("<i", len(body) + 5) + body + b"\0"
with open(path, "wb", buffering=1 << 20) as out:
    for i in range(n):
        address = doc(string("street", f"{i} Main Street") + string("city", "Springfield"))
        tags = doc(string("0", "new") + string("1", "priority"))
        body = (b"\x10" + cstr("_id") + struct.pack("<i", i) + string("customer", f"customer-{i % 1000}")
                + b"\x01" + cstr("amount") + struct.pack("<d", i * 1.25)
                + b"\x03" + cstr("address") + address + b"\x04" + cstr("tags") + tags
                + string("note", "x" * 160))
        out.write(doc(body))
PY
  echo '{"indexes":[{"v":2,"key":{"_id":1},"name":"_id_"},{"v":2,"key":{"customer":1},"name":"customer_1"}],"collectionName":"orders"}' \
    >"$TMP/dump_$1/bench/orders.metadata.json"
}

"$MONGO_DOUBLE" >"$TMP/port" 2>"$TMP/double.log" &
DOUBLE_PID=$!
for _ in $(seq 1 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
PORT=$(head -1 "$TMP/port")
mkdir -p "$TMP/backups"
cat >"$TMP/mysqlpitr.toml" <<TOML
[backup]
date_format = "%Y-%m-%d_%H-%M-%S"
jobs = $JOBS
[mongo]
host = "127.0.0.1"
port = $PORT
backup_dir = "$TMP/backups"
TOML
chmod 600 "$TMP/mysqlpitr.toml"

# timed command...: runs it under /usr/bin/time -v; sets SECONDS_TAKEN and PEAK_KB.
timed() {
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$TMP/time.txt" "$@" >"$TMP/out.json" 2>"$TMP/err.txt" || {
    echo "bench/mongo.sh: failed: $*" >&2; cat "$TMP/err.txt" >&2; exit 1; }
  end=$(date +%s.%N)
  SECONDS_TAKEN=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')
  PEAK_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/time.txt")
}

ROWS=""
for n in $SIZES; do
  echo "generating $n documents" >&2
  make_dump "$n"
  timed "$MYSQLPITR_BIN" -c "$TMP/mysqlpitr.toml" --yes --json mongo-restore "$TMP/dump_$n" --jobs "$JOBS"
  restore_rate=$(awk -v n="$n" -v s="$SECONDS_TAKEN" 'BEGIN {printf "%d", n / s}')
  restore_peak=$PEAK_KB
  restore_seconds=$SECONDS_TAKEN
  sleep 1
  gzip_flag=""; [ "$GZIP" = 1 ] && gzip_flag="--gzip"
  timed "$MYSQLPITR_BIN" -c "$TMP/mysqlpitr.toml" --json backup --kind mongo --db bench $gzip_flag --jobs "$JOBS"
  backup_rate=$(awk -v n="$n" -v s="$SECONDS_TAKEN" 'BEGIN {printf "%d", n / s}')
  folder=$(jq -r '.backups[0].path' "$TMP/out.json")
  cmp -s "$TMP/dump_$n/bench/orders.bson" "$folder/bench/orders.bson" || [ "$GZIP" = 1 ] || {
    echo "bench/mongo.sh: the backup differs from the restored dump" >&2; exit 1; }
  size=$(du -sh "$TMP/dump_$n/bench/orders.bson" | cut -f1)
  line=$(printf '| %s | %s | %.1f | %s | %s MiB | %.1f | %s | %s MiB |' "$n" "$size" "$restore_seconds" "$restore_rate" \
    "$((restore_peak / 1024))" "$SECONDS_TAKEN" "$backup_rate" "$((PEAK_KB / 1024))")
  echo "$line"
  ROWS+="$line"$'\n'
  rm -rf "$folder" "$TMP/dump_$n"
done

REPORT=$(cat <<MD

## MongoDB

\`bench/mongo.sh\` ($(date -u +%Y-%m-%d), $(nproc) cores, jobs $JOBS, gzip $GZIP): \`mongo-restore\` of a generated
mongodump folder (one collection, ~300-byte documents, one secondary index) into the wire-protocol
test double, then \`backup --kind mongo\` of it, compared byte for byte with the source file. The
test double is in memory, so these rates are mysqlpitr + libmongoc + the wire, not a MongoDB
storage engine. Peak memory is mysqlpitr's maximum resident set (\`/usr/bin/time -v\`).

| documents | .bson size | restore s | restore docs/s | restore peak RSS | backup s | backup docs/s | backup peak RSS |
| --- | --- | --- | --- | --- | --- | --- | --- |
${ROWS}
MD
)
echo "$REPORT"
[ -n "$APPEND" ] && printf '%s\n' "$REPORT" >>"$APPEND"
exit 0
