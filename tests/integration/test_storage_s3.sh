#!/usr/bin/env bash
# lib/storage's S3 driver against real S3 servers, through tests/tools/storage_tool, with the AWS
# CLI as the oracle: what the driver uploads (one PUT, or multipart with parts in flight) `aws s3 cp`
# downloads byte-identical, and what `aws s3 cp` uploads the driver reads back (whole, by range,
# decompressed); hostile key names survive both ways; an unpublished or killed upload leaves no
# object; readers sharing a version pin fail on an object replaced between them. s3rver implements
# neither ListMultipartUploads nor AbortMultipartUpload nor listing pagination, so those sections
# run against moto's server when it is installed.
source "$(dirname "$0")/harness.sh"

TOOL=${MYSQLPITR_BUILD_DIR:-}/tests/storage_tool
[ -x "$TOOL" ] || skip "storage_tool not built ($TOOL)"
command -v aws >/dev/null || skip "aws CLI not installed (apt-get install awscli)"
command -v s3rver >/dev/null || skip "s3rver not installed (npm install -g s3rver)"

export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
SERVER_PIDS=()
stop_servers() {
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  harness_cleanup
}
trap stop_servers EXIT

# start_s3_server s3rver|moto: a private server on 127.0.0.1 with bucket "bkt"; sets ENDPOINT.
start_s3_server() {
  local kind=$1 port dir=$HARNESS_TMP/$1
  port=$(free_port)
  mkdir -p "$dir"
  if [ "$kind" = s3rver ]; then
    # --service-endpoint: bkt.s3.localhost is the bucket bkt (virtual-host addressing; libcurl
    # resolves *.localhost to the loopback address itself).
    s3rver -d "$dir" -a 127.0.0.1 -p "$port" -s --service-endpoint localhost >"$dir.log" 2>&1 &
  else
    moto_server -H 127.0.0.1 -p "$port" >"$dir.log" 2>&1 &
  fi
  SERVER_PIDS+=($!)
  ENDPOINT=http://127.0.0.1:$port
  for _ in $(seq 1 100); do curl -s -o /dev/null "$ENDPOINT/" && break; sleep 0.1; done
  aws --endpoint-url "$ENDPOINT" s3 mb s3://bkt >/dev/null || { echo "cannot create a bucket on $kind"; exit 1; }
  export S3_ENDPOINT=$ENDPOINT S3_BUCKET=bkt
}
s3() { aws --endpoint-url "$ENDPOINT" s3 "$@"; }
tool() { "$TOOL" "$@"; }
same_file() { cmp -s "$1" "$2"; }
# kill_during_upload KEY: feeds 40 MiB through a fifo (parts go up meanwhile) and kills the writer
# with -9 while it waits for more, so that it never reaches publish().
kill_during_upload() {
  local fifo=$HARNESS_TMP/fifo.$RANDOM pid
  mkfifo "$fifo"
  "$TOOL" put "$fifo" "$1" >/dev/null 2>&1 &
  pid=$!
  exec 7>"$fifo"
  cat "$BIG" >&7
  sleep 1
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  exec 7>&-
  rm -f "$fifo"
}

# The aws CLI takes seconds to start here: it is called once per batch of objects, not per object.
start_s3_server s3rver
export S3_PREFIX=site1 S3_PART_SIZE=$((5 << 20)) S3_UPLOAD_JOBS=3 S3_RETRY_DELAY_MS=50
mkdir -p "$HARNESS_TMP/up" "$HARNESS_TMP/down" "$HARNESS_TMP/hostile" "$HARNESS_TMP/hostile.aws"
head -c 1000 /dev/urandom >"$HARNESS_TMP/up/small.bin"
head -c $((24 << 20)) /dev/urandom >"$HARNESS_TMP/up/big.bin"  # 4 full parts of 5 MiB and a short last one
BIG=$HARNESS_TMP/up/big.bin

echo "# what the driver uploads, aws s3 cp downloads byte-identical"
for name in small big; do
  expect_exit 0 tool put "$HARNESS_TMP/up/$name.bin" "historical/$name.bin"
  check "$name: publish reports the size and SHA-256 of the bytes" \
    test "$OUT" = "$(stat -c %s "$HARNESS_TMP/up/$name.bin") $(sha256sum <"$HARNESS_TMP/up/$name.bin" | cut -d' ' -f1)"
done
s3 cp s3://bkt/site1/historical/ "$HARNESS_TMP/down/" --recursive --quiet
for name in small big; do
  check "$name: aws s3 cp downloads it byte-identical" same_file "$HARNESS_TMP/up/$name.bin" "$HARNESS_TMP/down/$name.bin"
done

echo "# what aws s3 cp uploads, the driver reads back: whole, by range, decompressed"
seq 1 300000 | gzip -6 >"$HARNESS_TMP/up/dump.sql.gz"
s3 cp "$HARNESS_TMP/up/" s3://bkt/site1/fromaws/ --recursive --quiet
tool get fromaws/big.bin >"$HARNESS_TMP/big.tool"
check "a 24 MiB object uploaded by aws (multipart) reads back byte-identical" same_file "$BIG" "$HARNESS_TMP/big.tool"
tool range fromaws/big.bin $(((8 << 20) - 100)) 300 >"$HARNESS_TMP/range.tool"
tail -c +$(((8 << 20) - 99)) "$BIG" | head -c 300 >"$HARNESS_TMP/range.want"
check "a range across a read chunk's edge is those bytes" same_file "$HARNESS_TMP/range.want" "$HARNESS_TMP/range.tool"
tool range fromaws/big.bin $(((24 << 20) - 10)) 1000 >"$HARNESS_TMP/tail.tool"
check "a range past the end stops at the end" test "$(stat -c %s "$HARNESS_TMP/tail.tool")" = 10
tool cat fromaws/dump.sql.gz >"$HARNESS_TMP/dump.sql" 2>"$HARNESS_TMP/dump.digest"
check "a gzip object is recognised and inflated as a file is" same_text "$(cat "$HARNESS_TMP/dump.sql")" "$(seq 1 300000)"
check "the raw SHA-256 of the object comes out of the same pass" test "$(cat "$HARNESS_TMP/dump.digest")" = \
  "$(stat -c %s "$HARNESS_TMP/up/dump.sql.gz") $(sha256sum <"$HARNESS_TMP/up/dump.sql.gz" | cut -d' ' -f1)"
printf '<?xml version="1.0"?><Error><Code>InternalError</Code><Message>data</Message></Error>' >"$HARNESS_TMP/error.xml"
tool put "$HARNESS_TMP/error.xml" "historical/error.xml" >/dev/null
check "an object whose bytes look like an S3 error document is data, read back as is" \
  same_text "$(S3_RETRIES=0 tool get historical/error.xml)" "$(cat "$HARNESS_TMP/error.xml")"
expect_exit 1 tool get historical/none.sql
check "a missing object is an error naming its s3:// URL" contains "$ERR" "s3://bkt/site1/historical/none.sql does not exist"

echo "# readers sharing a version pin (a check, then a replay) never read a replaced object"
# pinned_read NAME: the tool pins the object's version, then reads again once GO exists.
pinned_read() {
  rm -f "$HARNESS_TMP/go"
  "$TOOL" pinned "$1" "$HARNESS_TMP/go" >"$HARNESS_TMP/pinned.out" 2>"$HARNESS_TMP/pinned.err" &
  PINNED=$!
  for _ in $(seq 1 200); do grep -q pinned "$HARNESS_TMP/pinned.out" && break; sleep 0.05; done
}
expect_exit 0 tool put "$HARNESS_TMP/up/small.bin" "binlogs/pinned.bin"
pinned_read binlogs/pinned.bin
touch "$HARNESS_TMP/go"; wait "$PINNED"; RC=$?
check "the object unchanged, the second reader reads it" test "$RC/$(tail -1 "$HARNESS_TMP/pinned.out")" = "0/same"
pinned_read binlogs/pinned.bin
head -c 1000 /dev/urandom >"$HARNESS_TMP/up/other.bin"
s3 cp "$HARNESS_TMP/up/other.bin" s3://bkt/site1/binlogs/pinned.bin --quiet
touch "$HARNESS_TMP/go"; wait "$PINNED"; RC=$?
check "the object replaced (same size) in between, the second reader fails" test "$RC" = 1
check "... saying it was replaced since it was first read" \
  contains "$(cat "$HARNESS_TMP/pinned.err")" "s3://bkt/site1/binlogs/pinned.bin was replaced since it was first read"

echo "# hostile key names, both ways"
KEYS=("with space.sql" "100%.sql" "a+b.sql" "caf$(printf '\xc3\xa9') $(printf '\xe2\x82\xac').sql" "hash#tag.sql"
  "what?.sql" "amp&eq=.sql" "quote'\"<x>.sql" "semi;colon,(paren)*.sql")
for i in "${!KEYS[@]}"; do
  echo "object $i" >"$HARNESS_TMP/hostile/${KEYS[$i]}"
  expect_exit 0 tool put "$HARNESS_TMP/hostile/${KEYS[$i]}" "odd/${KEYS[$i]}"
done
s3 cp s3://bkt/site1/odd/ "$HARNESS_TMP/hostile.aws/" --recursive --quiet
s3 cp "$HARNESS_TMP/hostile/" s3://bkt/site1/odd2/ --recursive --quiet
for key in "${KEYS[@]}"; do
  check "aws reads back '$key' as the driver wrote it" same_file "$HARNESS_TMP/hostile/$key" "$HARNESS_TMP/hostile.aws/$key"
  check "the driver reads back '$key' as aws wrote it" same_text "$(tool get "odd2/$key")" "$(cat "$HARNESS_TMP/hostile/$key")"
done
check "the driver lists the 9 keys as they were written" \
  same_text "$(tool list odd/ | cut -f1 | LC_ALL=C sort)" "$(printf 'odd/%s\n' "${KEYS[@]}" | LC_ALL=C sort)"
expect_exit 0 tool rm "odd/100%.sql"
check "rm removes exactly that object" test "$(tool list odd/ | wc -l)" = 8 -a "$(tool list odd/ | grep -c '100%')" = 0
expect_exit 0 tool rm "odd/100%.sql"

echo "# one level of a folder, and a folder removed with what is below it"
for key in "lvl/a-b/x.sql" "lvl/a/y.sql" "lvl/a/deep/z.sql" "lvl/a.sql" "lvl/b.sql" "lvlz.sql"; do
  tool put "$HARNESS_TMP/up/small.bin" "$key" >/dev/null
done
size=$(stat -c %s "$HARNESS_TMP/up/small.bin")
expect_exit 0 tool level lvl/
check "the bucket's level holds its objects and its folders, in key order, nothing beside the folder" \
  same_text "$OUT" "$(printf 'object\tlvl/a.sql\t%s\nobject\tlvl/b.sql\t%s\nfolder\tlvl/a\nfolder\tlvl/a-b' "$size" "$size")"
expect_exit 0 tool rmdir lvl/a
check "rmdir removed lvl/a/ at every depth and nothing else (aws s3 ls)" \
  same_text "$(s3 ls --recursive s3://bkt/site1/lvl/ | awk '{print $4}')" "$(printf 'site1/lvl/a-b/x.sql\nsite1/lvl/a.sql\nsite1/lvl/b.sql')"

echo "# virtual-host addressing"
S3_ENDPOINT=http://s3.localhost:${ENDPOINT##*:} S3_PATH_STYLE=0 expect_exit 0 "$TOOL" put "$BIG" "vhost/a b.bin"
check "an object written as bkt.s3.localhost/key reads back path-style identical" \
  same_text "$(tool get "vhost/a b.bin" | sha256sum)" "$(sha256sum <"$BIG")"

echo "# TLS: verified by default, against a given CA file, or not at all when told"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$HARNESS_TMP/tls.key" -out "$HARNESS_TMP/tls.crt" 2>/dev/null
tls_port=$(free_port)
s3rver -d "$HARNESS_TMP/s3rver" -a 127.0.0.1 -p "$tls_port" -s --key "$HARNESS_TMP/tls.key" --cert "$HARNESS_TMP/tls.crt" \
  >"$HARNESS_TMP/tls.log" 2>&1 &
SERVER_PIDS+=($!)
for _ in $(seq 1 100); do curl -sk -o /dev/null "https://127.0.0.1:$tls_port/" && break; sleep 0.1; done
S3_ENDPOINT=https://127.0.0.1:$tls_port expect_exit 1 "$TOOL" get historical/small.bin
check "a certificate no CA vouches for is refused at once (not retried), naming the object" \
  matches "$ERR" 's3://bkt/site1/historical/small.bin.*(certificate|SSL)' -a "${ERR/after/}" = "$ERR"
S3_ENDPOINT=https://127.0.0.1:$tls_port S3_CA_FILE=$HARNESS_TMP/tls.crt "$TOOL" get historical/small.bin >"$HARNESS_TMP/tls.out"
check "with the CA file the object reads back" same_file "$HARNESS_TMP/tls.out" "$HARNESS_TMP/up/small.bin"
S3_ENDPOINT=https://127.0.0.1:$tls_port S3_VERIFY_TLS=0 expect_exit 0 "$TOOL" stat historical/small.bin

echo "# nothing under the final key unless the upload is whole"
expect_exit 0 tool put "$BIG" pitr/abandoned.sql --no-publish
kill_during_upload pitr/killed.sql
check "a multipart writer dropped before publish, or killed -9, leaves no object (aws s3 ls)" \
  test -z "$(s3 ls s3://bkt/site1/pitr/)"
expect_exit 1 tool unfinished 0
check "a server that cannot list multipart uploads is an error, not an empty list" \
  contains "$ERR" "cannot list multipart uploads"

echo "# failures are retried, then reported naming the object, never the secret"
S3_ENDPOINT=http://127.0.0.1:$(free_port) S3_RETRIES=2 AWS_SECRET_ACCESS_KEY=TopSecretValue \
  expect_exit 1 "$TOOL" put "$HARNESS_TMP/up/small.bin" pitr/unreachable.sql
check "an unreachable server: exit 1 naming s3://bkt/site1/pitr/unreachable.sql after 3 attempts" \
  matches "$ERR" 's3://bkt/site1/pitr/unreachable.sql.*after 3 attempts'
check "the secret is in no message" test "${ERR/TopSecretValue/}" = "$ERR"

if command -v moto_server >/dev/null; then
  echo "# moto: stale multipart uploads listed and removed; listings longer than a page"
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
  start_s3_server moto
  kill_during_upload "pitr/killed base.sql"
  expect_exit 3 tool stat "pitr/killed base.sql"
  expect_exit 0 tool unfinished 0
  check "the killed run's upload is listed under its key" matches "$OUT" "^pitr/killed base.sql	"
  expect_exit 0 tool clean 0
  uploads=$(aws --endpoint-url "$ENDPOINT" s3api list-multipart-uploads --bucket bkt --query 'Uploads[].Key' --output text)
  check "clean aborted it: the server lists no multipart upload ($uploads)" test -z "$uploads" -o "$uploads" = None
  for i in 1 2 3 4 5 6 7; do tool put "$HARNESS_TMP/up/small.bin" "binlogs/mysql-bin.00000$i" >/dev/null; done
  tool put "$HARNESS_TMP/up/small.bin" "binlogz" >/dev/null
  check "a listing in pages of 2 keys has all 7, in order, and nothing beside the prefix" \
    same_text "$(S3_LIST_PAGE=2 tool list binlogs/ | cut -f1)" "$(printf 'binlogs/mysql-bin.00000%s\n' 1 2 3 4 5 6 7)"
  expect_exit 0 tool put "$BIG" "moto/caf$(printf '\xc3\xa9') 100%+#?.bin"
  etag=$(curl -sI "$ENDPOINT/bkt/site1/moto/caf%C3%A9%20100%25%2B%23%3F.bin" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
  check "24 MiB went up as a multipart upload of 5 parts (ETag $etag)" matches "$etag" '-5"$'
  tool get "moto/caf$(printf '\xc3\xa9') 100%+#?.bin" >"$HARNESS_TMP/big.moto"
  check "moto: it reads back identical" same_file "$BIG" "$HARNESS_TMP/big.moto"
else
  skip_check "stale multipart uploads listed and removed; paginated listings" "moto_server not installed"
fi

harness_finish
