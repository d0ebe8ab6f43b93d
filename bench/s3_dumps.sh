#!/usr/bin/env bash
# Historical dumps straight to the S3 repository against a private s3rver on 127.0.0.1 (started by
# the test harness), in one run on one private mariadbd with sysbench data:
#   1. `backup --kind historical` into the bucket (repository.mode s3: streamed into a multipart
#      upload) against the same backup into a local folder (mode local);
#   2. `restore-historical s3://...` (streamed from the object) against `restore-historical FILE`
#      of the same dump as a local file; CHECKSUM TABLE must match the data before.
# Interleaved rounds, best of ROUNDS per case, so that a busy machine hurts both alike. Beside the
# wall times: mysqlpitr's own CPU seconds (user + system) and s3rver's during each case (means over
# the rounds): on a small machine the local S3 server competes with the backup for the same cores.
#
#   MYSQLPITR_BIN=build/apps/mysqlpitr/mysqlpitr bench/s3_dumps.sh [--append bench/RESULTS.md]
# Knobs (environment): TABLES=4 ROWS=250000 JOBS=2 ROUNDS=3 PART_MB=16 UPLOAD_JOBS=4
set -u
set -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
: "${MYSQLPITR_BIN:?set MYSQLPITR_BIN to the mysqlpitr binary}"
TABLES=${TABLES:-4}
ROWS=${ROWS:-250000}
JOBS=${JOBS:-2}
ROUNDS=${ROUNDS:-3}
PART_MB=${PART_MB:-16}
UPLOAD_JOBS=${UPLOAD_JOBS:-4}
APPEND=""
[ "${1:-}" = "--append" ] && APPEND=${2:?--append needs a file}
command -v sysbench >/dev/null || { echo "bench/s3_dumps.sh: sysbench is not installed" >&2; exit 77; }

source "$HERE/../tests/integration/harness.sh"
harness_start_mariadb --no-binlog --innodb-buffer-pool-size=1G --innodb-log-file-size=512M
start_s3 bench
source "$HERE/sysbench_data.sh"
prepare_sysbench
REFERENCE=$(checksums sbtest)

LOCAL=$HARNESS_TMP/local.toml
write_config "$LOCAL"
BUCKET=$HARNESS_TMP/bucket.toml
write_config "$BUCKET"
append_s3_config "$BUCKET" s3
printf 'part_size = "%sMiB"\nupload_jobs = %s\n' "$PART_MB" "$UPLOAD_JOBS" >>"$BUCKET"
HIST=$BACKUP_DIR/historical

now() { date +%s.%N; }
# s3rver's CPU seconds so far (user + system, from /proc).
s3rver_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$S3_PID/stat"; }
declare -A BEST CPU S3CPU
FAILED=0
# timed NAME CONFIG ARGS...: runs mysqlpitr with CONFIG and ARGS, keeps the best wall time of NAME
# and adds up its CPU seconds and s3rver's.
timed() {
  local name=$1 config=$2 start seconds s3_before; shift 2
  sync
  s3_before=$(s3rver_cpu)
  start=$(now)
  /usr/bin/time -f '%U %S' -o "$HARNESS_TMP/cpu" "$MYSQLPITR_BIN" -c "$config" --quiet "$@" --jobs "$JOBS" </dev/null >"$HARNESS_TMP/out.log" 2>&1 ||
    { echo "$name failed:" >&2; tail -5 "$HARNESS_TMP/out.log" >&2; FAILED=1; return; }
  seconds=$(printf '%.2f' "$(echo "$(now) - $start" | bc)")
  if [ -z "${BEST[$name]:-}" ] || [ "$(echo "$seconds < ${BEST[$name]}" | bc)" = 1 ]; then BEST[$name]=$seconds; fi
  CPU[$name]=$(awk -v sum="${CPU[$name]:-0}" '{printf "%.2f", sum + $1 + $2}' "$HARNESS_TMP/cpu")
  S3CPU[$name]=$(echo "${S3CPU[$name]:-0} + $(s3rver_cpu) - $s3_before" | bc)
}
restored_same() {
  [ "$(checksums sbtest_r)" = "$REFERENCE" ] || { echo "restored data differs ($1)" >&2; FAILED=1; }
}

for round in $(seq "$ROUNDS"); do
  rm -f "$HIST"/sbtest-back_* "$HIST"/.mysqlpitr-manifest.json
  aws_s3 rm --quiet --recursive "s3://$S3_BUCKET/historical/" >/dev/null 2>&1
  timed "backup, local folder" "$LOCAL" backup --kind historical --db sbtest
  sleep 1  # another second in the dump's name
  timed "backup, bucket (mode s3)" "$BUCKET" backup --kind historical --db sbtest
  FILE=$(ls "$HIST"/sbtest-back_*.sql.gz | head -1)
  URL=s3://$S3_BUCKET/historical/$(aws_s3 ls "s3://$S3_BUCKET/historical/" | awk '{print $4}' | grep '^sbtest-back_' | head -1)
  [ -n "$(ls -A "$HIST" | grep -v '^\.mysqlpitr' | grep -v "$(basename "$FILE")")" ] &&
    { echo "mode s3 left a local file" >&2; FAILED=1; }
  timed "restore-historical, local file" "$LOCAL" --yes restore-historical "$FILE" --into sbtest_r --replace
  restored_same "local file"
  timed "restore-historical, bucket object" "$BUCKET" --yes restore-historical "$URL" --into sbtest_r --replace
  restored_same "bucket object"
done
SIZE=$(stat -c %s "$FILE")
[ "$FAILED" = 0 ] || { echo "bench/s3_dumps.sh: a run failed or restored different data" >&2; exit 1; }

ratio() { echo "scale=2; $1 / $2" | bc; }
mean() { printf '%.2f' "$(echo "scale=3; $1 / $ROUNDS" | bc)"; }
report() {
  echo "### $(date -u '+%Y-%m-%d %H:%M UTC') — bench/s3_dumps.sh: sysbench $TABLES x $ROWS rows (dump $((SIZE >> 20)) MiB gzip), --jobs $JOBS, part ${PART_MB} MiB x ${UPLOAD_JOBS}, best of $ROUNDS, s3rver on 127.0.0.1"
  echo
  echo "Command: \`MYSQLPITR_BIN=build/apps/mysqlpitr/mysqlpitr TABLES=$TABLES ROWS=$ROWS JOBS=$JOBS ROUNDS=$ROUNDS bench/s3_dumps.sh --append bench/RESULTS.md\`"
  echo
  echo "| | local | bucket | bucket / local | target |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  echo "| \`backup --kind historical\` | ${BEST[backup, local folder]} s | ${BEST[backup, bucket (mode s3)]} s | $(ratio "${BEST[backup, bucket (mode s3)]}" "${BEST[backup, local folder]}")x | <= 1.25x |"
  echo "| \`restore-historical\` (verification pass + load) | ${BEST[restore-historical, local file]} s | ${BEST[restore-historical, bucket object]} s | $(ratio "${BEST[restore-historical, bucket object]}" "${BEST[restore-historical, local file]}")x | <= 1.2x |"
  echo
  echo "CPU seconds per run (mean of $ROUNDS; user + system), mysqlpitr's own and the local s3rver's meanwhile:"
  echo
  echo "| | mysqlpitr, local | mysqlpitr, bucket | s3rver, bucket run |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| \`backup --kind historical\` | $(mean "${CPU[backup, local folder]}") | $(mean "${CPU[backup, bucket (mode s3)]}") | $(mean "${S3CPU[backup, bucket (mode s3)]}") |"
  echo "| \`restore-historical\` | $(mean "${CPU[restore-historical, local file]}") | $(mean "${CPU[restore-historical, bucket object]}") | $(mean "${S3CPU[restore-historical, bucket object]}") |"
  echo
}
report
[ -n "$APPEND" ] && report >>"$APPEND"
harness_finish
