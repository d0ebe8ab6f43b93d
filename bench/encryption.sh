#!/usr/bin/env bash
# Encryption benchmark: `backup --kind historical` and `restore-historical` of one sysbench database,
# unencrypted and with encryption.key_file set, interleaved in one run on one private mariadbd
# (no binary log, so the restores do the same work), ROUNDS rounds each; the ratio is taken of the
# medians (a best-of is one lucky round), the best times shown beside them. The
# restored tables' checksums are compared with the original after every restore. Prints the table
# and, with --append FILE, appends it to FILE under "## Encryption".
#   MYSQLPITR_BIN=build/apps/mysqlpitr/mysqlpitr bench/encryption.sh [--rows N] [--append bench/RESULTS.md]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
: "${MYSQLPITR_BIN:=$HERE/../build/apps/mysqlpitr/mysqlpitr}"
export MYSQLPITR_BIN
ROWS=250000
TABLES=4
ROUNDS=${ROUNDS:-5}
APPEND=""
while [ $# -gt 0 ]; do
  case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --append) APPEND=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v sysbench >/dev/null || { echo "bench/encryption.sh: sysbench is not installed" >&2; exit 77; }
source "$HERE/../tests/integration/harness.sh"
harness_start_mariadb --no-binlog --innodb-buffer-pool-size=1G --innodb-log-file-size=512M

source "$HERE/sysbench_data.sh"
prepare_sysbench
REFERENCE=$(checksums)

KEY=$HARNESS_TMP/bench.key
"$MYSQLPITR_BIN" config new-key "$KEY" 2>/dev/null
ENC=$HARNESS_TMP/enc.toml
cp "$CONFIG" "$ENC"
printf '[encryption]\nkey_file = "%s"\n' "$KEY" >>"$ENC"
PLAIN_DIR=$HARNESS_TMP/plain ENC_DIR=$HARNESS_TMP/encrypted
mkdir -p "$PLAIN_DIR" "$ENC_DIR"

now() { date +%s.%N; }
declare -A TIMES
timed() {  # timed NAME COMMAND...: adds the wall time to NAME's
  local name=$1; shift
  sync
  local start end seconds
  start=$(now)
  "$@" </dev/null >/dev/null 2>&1 || { echo "$name failed: $*" >&2; exit 1; }
  end=$(now)
  seconds=$(printf "%.2f" "$(echo "$end - $start" | bc)")
  echo "$name: ${seconds}s" >&2
  TIMES[$name]="${TIMES[$name]:-} $seconds"
}
median() { tr ' ' '\n' <<<"${TIMES[$1]}" | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
best() { tr ' ' '\n' <<<"${TIMES[$1]}" | grep . | sort -n | head -1; }
backup_with() {  # backup_with CONFIG DIR: one backup, moved to DIR
  rm -f "$BACKUP_DIR"/historical/sbtest-back_* "$BACKUP_DIR"/historical/.mysqlpitr-manifest.json
  "$MYSQLPITR_BIN" -q -c "$1" backup --kind historical --db sbtest --jobs 2 || return 1
  rm -f "$2"/*
  mv "$BACKUP_DIR"/historical/sbtest-back_* "$2"/
}
restore_with() {  # restore_with CONFIG FILE: into sbtest_r, checked
  "$MYSQLPITR_BIN" -q -c "$1" --yes restore-historical "$2" --into sbtest_r --replace --jobs 2 || return 1
}

for round in $(seq 1 "$ROUNDS"); do
  timed backup_plain backup_with "$CONFIG" "$PLAIN_DIR"
  timed backup_encrypted backup_with "$ENC" "$ENC_DIR"
done
PLAIN_FILE=$(ls "$PLAIN_DIR"/sbtest-back_*.sql.gz)
ENC_FILE=$(ls "$ENC_DIR"/sbtest-back_*.sql.gz.enc)
[ "$(head -c 8 "$ENC_FILE")" = MPITRENC ] || { echo "the encrypted backup is not encrypted" >&2; exit 1; }
for round in $(seq 1 "$ROUNDS"); do
  for kind in plain encrypted; do
    if [ $kind = plain ]; then timed restore_plain restore_with "$CONFIG" "$PLAIN_FILE"
    else timed restore_encrypted restore_with "$ENC" "$ENC_FILE"; fi
    [ "$(checksums sbtest_r)" = "$REFERENCE" ] || { echo "restore_$kind: table checksums differ from the original" >&2; exit 1; }
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
row() {  # row LABEL STEP
  local plain=$(median "$2_plain") encrypted=$(median "$2_encrypted")
  echo "| $1 | $plain | $encrypted | $(ratio "$encrypted" "$plain") | $(best "$2_plain") | $(best "$2_encrypted") | <= 1.10 |"
}
table="| step | unencrypted, median (s) | encrypted, median (s) | encrypted / unencrypted | best unencrypted | best encrypted | target |
| --- | --- | --- | --- | --- | --- | --- |
$(row "backup --kind historical --jobs 2" backup)
$(row "restore-historical --jobs 2" restore)"
echo "$table"
if [ -n "$APPEND" ]; then
  {
    echo
    echo "## Encryption"
    echo
    echo "\`bench/encryption.sh\` ($(date +%F), $(nproc) cores, $TABLES tables x $ROWS rows, sysbench; dump"
    echo "$(stat -c %s "$PLAIN_FILE") bytes gzip, encrypted $(stat -c %s "$ENC_FILE") bytes; $ROUNDS interleaved rounds):"
    echo
    echo "$table"
    echo
    echo "Every round (s):"
    echo
    for name in backup_plain backup_encrypted restore_plain restore_encrypted; do echo "- $name:${TIMES[$name]}"; done
  } >>"$APPEND"
fi
harness_finish
