#!/usr/bin/env bash
# S3 repository benchmark, against a private s3rver on 127.0.0.1 (started by the test harness):
#   1. upload of one file: lib/storage's multipart writer (tests/tools/storage_tool put) against the
#      reference client `aws s3 cp`, same file, same server, interleaved rounds, best of ROUNDS;
#   2. peak memory (max RSS) of the same upload at two file sizes: bounded by
#      upload_jobs x part_size plus a constant, not by the file's size;
#   3. download (`storage_tool get` against `aws s3 cp` the other way).
# Every copy is checked byte-identical (cmp) before its time counts.
#
#   MYSQLPITR_BUILD_DIR=build bench/s3.sh [--append bench/RESULTS.md]
# Knobs (environment): SIZE_MB=1024 SMALL_MB=256 PART_MB=16 UPLOAD_JOBS=4 ROUNDS=2
set -u
set -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
: "${MYSQLPITR_BUILD_DIR:?set MYSQLPITR_BUILD_DIR to the build folder}"
export MYSQLPITR_BIN=${MYSQLPITR_BIN:-$MYSQLPITR_BUILD_DIR/apps/mysqlpitr/mysqlpitr}
TOOL=$MYSQLPITR_BUILD_DIR/tests/storage_tool
SIZE_MB=${SIZE_MB:-1024}
SMALL_MB=${SMALL_MB:-256}
PART_MB=${PART_MB:-16}
UPLOAD_JOBS=${UPLOAD_JOBS:-4}
ROUNDS=${ROUNDS:-2}
APPEND=""
[ "${1:-}" = "--append" ] && APPEND=${2:?--append needs a file}
[ -x "$TOOL" ] || { echo "bench/s3.sh: $TOOL not built" >&2; exit 77; }
[ -x /usr/bin/time ] || { echo "bench/s3.sh: /usr/bin/time is not installed (package time)" >&2; exit 77; }

source "$HERE/../tests/integration/harness.sh"
start_s3 bench
export S3_PREFIX="" S3_PATH_STYLE=1 S3_PART_SIZE=$((PART_MB << 20)) S3_UPLOAD_JOBS=$UPLOAD_JOBS \
  AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
# The aws client with the same part size and parallelism as ours.
aws_cli configure set default.s3.multipart_chunksize "${PART_MB}MB"
aws_cli configure set default.s3.max_concurrent_requests "$UPLOAD_JOBS"

make_file() {  # make_file PATH MB: compressible-like random text, as a dump is
  head -c $(($2 << 20)) /dev/urandom | base64 -w 0 | head -c $(($2 << 20)) >"$1"
}
BIG=$HARNESS_TMP/big.bin
SMALL=$HARNESS_TMP/small.bin
echo "preparing ${SIZE_MB} MiB and ${SMALL_MB} MiB files" >&2
make_file "$BIG" "$SIZE_MB"
make_file "$SMALL" "$SMALL_MB"

now() { date +%s.%N; }
elapsed() { printf '%.2f' "$(echo "$(now) - $1" | bc)"; }
declare -A BEST
FAILED=0
# record NAME SECONDS: keeps the best time of NAME.
record() {
  local name=$1 seconds=$2
  if [ -z "${BEST[$name]:-}" ] || [ "$(echo "$seconds < ${BEST[$name]}" | bc)" = 1 ]; then BEST[$name]=$seconds; fi
}
for round in $(seq "$ROUNDS"); do
  start=$(now)
  "$TOOL" put "$BIG" "ours/big.bin" >/dev/null || { echo "storage_tool put failed" >&2; FAILED=1; }
  record "upload mysqlpitr" "$(elapsed "$start")"
  start=$(now)
  aws_s3 cp --quiet "$BIG" "s3://$S3_BUCKET/aws/big.bin" || { echo "aws s3 cp failed" >&2; FAILED=1; }
  record "upload aws" "$(elapsed "$start")"
  rm -f "$HARNESS_TMP/down.ours" "$HARNESS_TMP/down.aws"
  start=$(now)
  "$TOOL" get "aws/big.bin" >"$HARNESS_TMP/down.ours" || FAILED=1
  record "download mysqlpitr" "$(elapsed "$start")"
  start=$(now)
  aws_s3 cp --quiet "s3://$S3_BUCKET/ours/big.bin" "$HARNESS_TMP/down.aws" || FAILED=1
  record "download aws" "$(elapsed "$start")"
  cmp -s "$BIG" "$HARNESS_TMP/down.ours" || { echo "download by mysqlpitr differs" >&2; FAILED=1; }
  cmp -s "$BIG" "$HARNESS_TMP/down.aws" || { echo "our upload downloads different bytes" >&2; FAILED=1; }
done
peak_kib() {  # peak_kib FILE KEY: max RSS of one upload
  /usr/bin/time -f %M -o "$HARNESS_TMP/rss" "$TOOL" put "$1" "$2" >/dev/null || FAILED=1
  cat "$HARNESS_TMP/rss"
}
RSS_BIG=$(peak_kib "$BIG" rss/big.bin)
RSS_SMALL=$(peak_kib "$SMALL" rss/small.bin)
[ "$FAILED" = 0 ] || { echo "bench/s3.sh: a copy failed or differed" >&2; exit 1; }

ratio() { echo "scale=2; $1 / $2" | bc; }
report() {
  echo "### $(date -u '+%Y-%m-%d %H:%M UTC') — bench/s3.sh: ${SIZE_MB} MiB file, part ${PART_MB} MiB, ${UPLOAD_JOBS} parts in flight, best of $ROUNDS, s3rver on 127.0.0.1"
  echo
  echo "| | mysqlpitr (lib/storage) | aws s3 cp | aws / mysqlpitr |"
  echo "| --- | --- | --- | --- |"
  echo "| upload, wall | ${BEST[upload mysqlpitr]} s | ${BEST[upload aws]} s | $(ratio "${BEST[upload aws]}" "${BEST[upload mysqlpitr]}")x |"
  echo "| download, wall | ${BEST[download mysqlpitr]} s | ${BEST[download aws]} s | $(ratio "${BEST[download aws]}" "${BEST[download mysqlpitr]}")x |"
  echo
  echo "Peak memory of one upload (max RSS): $((RSS_SMALL / 1024)) MiB for ${SMALL_MB} MiB, $((RSS_BIG / 1024)) MiB for ${SIZE_MB} MiB"
  echo "(bound: (upload_jobs + 1) x part_size = $(((UPLOAD_JOBS + 1) * PART_MB)) MiB plus the program)."
  echo
}
report
[ -n "$APPEND" ] && report >>"$APPEND"
harness_finish
