#!/usr/bin/env bash
# Historical and schema dumps in the S3 repository, against s3rver with the aws client as the
# oracle: mode both uploads the very bytes kept locally (with a record), mode s3 streams each dump
# straight into the bucket (nothing written locally, not even a manifest; the object byte-identical
# to its record; kill -9 mid-upload leaves no object), a dump only in the bucket restores streaming
# from it, and faults through the proxy are retried or fail the run with no object under the final key.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
start_s3
source "$(dirname "$0")/held_run.sh"
export MONGOC_DISABLE_SHM=1

sql "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(50)) ENGINE=InnoDB;
     INSERT INTO shop.orders VALUES (1,'one'),(2,'two'),(3,'tab\\there');
     CREATE VIEW shop.v_orders AS SELECT id FROM shop.orders;"
HIST=$BACKUP_DIR/historical
BOTH=$HARNESS_TMP/both.toml; write_config "$BOTH"; append_s3_config "$BOTH" both
ONLY=$HARNESS_TMP/s3.toml; write_config "$ONLY"; append_s3_config "$ONLY" s3
mpb() { "$MYSQLPITR_BIN" -c "$BOTH" "$@" </dev/null; }
mps() { "$MYSQLPITR_BIN" -c "$ONLY" "$@" </dev/null; }
objects() { aws_s3 ls "s3://$S3_BUCKET/$1" --recursive | awk '{print $4}'; }

echo "# mode both: the local file and the same bytes in the bucket, with a record"
expect_exit 0 mpb backup --kind historical --db shop --dry-run
check "the dry run names the object's URL" matches "$OUT" "s3://$S3_BUCKET/historical/shop-back_.*\.sql\.gz"
check "the dry run uploaded nothing" test -z "$(objects historical/)"
expect_exit 0 mpb backup --kind historical --db shop --json
NAME=$(cd "$HIST" && ls shop-back_*.sql.gz | head -1)
check "the dump is kept locally" test -s "$HIST/$NAME"
aws_s3 cp "s3://$S3_BUCKET/historical/$NAME" "$HARNESS_TMP/downloaded.gz" >/dev/null
check "aws s3 cp of the object is byte-identical to the local file" cmp -s "$HIST/$NAME" "$HARNESS_TMP/downloaded.gz"
aws_s3 cp "s3://$S3_BUCKET/historical/.mysqlpitr-records/$NAME.json" "$HARNESS_TMP/record.json" >/dev/null
check "the record holds the file's SHA-256 and size" python3 -c "
import json, hashlib, os, sys
r = json.load(open(sys.argv[1])); data = open(sys.argv[2], 'rb').read()
assert r['sha256'] == hashlib.sha256(data).hexdigest() and r['size'] == len(data), r" "$HARNESS_TMP/record.json" "$HIST/$NAME"
check "the JSON report names the object" python3 -c "
import json, sys
b = json.loads(sys.argv[1])['backups'][0]
assert b['url'].startswith('s3://$S3_BUCKET/historical/shop-back_'), b" "$OUT"

echo "# mode s3: nothing lasting locally, object and record in the bucket"
rm -f "$HIST"/* "$HIST"/.mysqlpitr-manifest.json
expect_exit 0 mps backup --kind schema
SCHEMA=$(objects schema/ | grep -v mysqlpitr-records | sed 's,^schema/,,')
check "the schema dump is in the bucket" matches "$SCHEMA" '^back-no-data_.*\.sql\.gz$'
check "its record is in the bucket" matches "$(objects schema/.mysqlpitr-records/)" "back-no-data_.*\.sql\.gz\.json"
check "no local dump is left" test -z "$(cd "$HIST" && ls back-no-data_* shop-back_* 2>/dev/null)"
check "streamed: not even a manifest was written locally" test ! -e "$HIST/.mysqlpitr-manifest.json"
aws_s3 cp "s3://$S3_BUCKET/schema/$SCHEMA" - | gzip -dc >"$HARNESS_TMP/schema.sql"
check "the object is a whole schema dump" bash -c 'tail -1 "$1" | grep -q "^-- Dump completed" && grep -q "CREATE TABLE \`orders\`" "$1"' _ "$HARNESS_TMP/schema.sql"

echo "# list: where each dump is"
cp "$HARNESS_TMP/downloaded.gz" "$HIST/$NAME"  # the mode s3 run emptied the folder
expect_exit 0 mpb --json list backups
check "list --json says both for the dump in the two places, s3 for the bucket's schema dump" python3 -c "
import json, sys
items = json.loads(sys.argv[1])['backups']
where = {(i['kind'], i.get('url') or i['path']): i['where'] for i in items}
assert where[('historical', 's3://$S3_BUCKET/historical/$NAME')] == 'both', where
assert where[('schema', 's3://$S3_BUCKET/schema/$SCHEMA')] == 's3', where" "$OUT"
expect_exit 0 mpb list backups
check "the table has a WHERE column" matches "$OUT" "^schema +- .* s3 +s3://$S3_BUCKET/schema/$SCHEMA"

echo "# restore-historical from the bucket, the local folder emptied: streamed, identical data"
BEFORE=$(fingerprint shop)
rm -f "$HIST"/shop-back_*
sql "DROP DATABASE shop"
expect_exit 0 mpb restore-historical --db shop --yes
check "--db finds the dump only the bucket holds" matches "$OUT$ERR" "s3://$S3_BUCKET/historical/$NAME"
check "the restored data is identical" same_text "$(fingerprint shop)" "$BEFORE"
check "the restore left no download behind" test -z "$(ls -A "$HIST" | grep -v '^\.mysqlpitr')"
sql "DROP DATABASE shop"
expect_exit 0 mps restore-historical "s3://$S3_BUCKET/historical/$NAME" --yes
check "an s3:// URL names the dump to restore" same_text "$(fingerprint shop)" "$BEFORE"

echo "# a restore reading an s3:// URL holds the kind's read lock: prune of the bucket waits for it"
sql "DROP DATABASE shop"
HELD_CONFIG=$ONLY
check "restore-historical of an s3:// URL is at its SI prompt" held s3r restore-historical "s3://$S3_BUCKET/historical/$NAME"
expect_exit 5 mps --yes prune --older-than 1 --what historical
check "prune names the restore reading the bucket's dump" contains "$ERR" "restore-historical pid"
release s3r
check "the held restore finished (exit 0) with the same data" same_text "$RELEASED $(fingerprint shop)" "0 $BEFORE"
check "no folder named after the URL was made" test ! -e "s3:" -a ! -e "$HIST/s3:"

echo "# a dump uploaded by aws s3 cp, unrecorded, restores; an altered recorded object is refused"
HAND=handmade-back_2026-01-02_03-04-05.sql.gz
{ echo "CREATE DATABASE IF NOT EXISTS handmade; USE handmade; CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (7),(8);"
  echo "-- Dump completed on 2026-01-02  3:04:05"; } | gzip -c >"$HARNESS_TMP/$HAND"
aws_s3 cp "$HARNESS_TMP/$HAND" "s3://$S3_BUCKET/historical/$HAND" >/dev/null
expect_exit 0 mps restore-historical --db handmade --yes
check "the unrecorded object restored" test "$(sql "SELECT SUM(id) FROM handmade.t")" = 15
gzip -dc "$HARNESS_TMP/downloaded.gz" | sed 's/two/TWO/' | gzip -c >"$HARNESS_TMP/altered.gz"
aws_s3 cp "$HARNESS_TMP/altered.gz" "s3://$S3_BUCKET/historical/$NAME" >/dev/null
expect_exit 5 mps restore-historical "s3://$S3_BUCKET/historical/$NAME" --yes
check "the altered object is refused against its record" matches "$ERR" "s3://$S3_BUCKET/historical/$NAME is not the object its backup recorded: (size|SHA-256)"
check "shop was left as it was" same_text "$(fingerprint shop)" "$BEFORE"

echo "# mode s3: a historical dump streamed into the bucket, byte-identical, restores the same CHECKSUM TABLE"
rm -f "$HIST"/.mysqlpitr-manifest.json
sql "UPDATE shop.orders SET note='streamed' WHERE id=1"
SUM=$(sql "CHECKSUM TABLE shop.orders" | cut -f2)
expect_exit 0 mps backup --kind historical --db shop --json
URL=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["backups"][0]["url"])' "$OUT")
check "the report names the object, no local path" python3 -c "
import json, sys
b = json.loads(sys.argv[1])['backups'][0]
assert b['path'] is None and b['url'].startswith('s3://$S3_BUCKET/historical/shop-back_'), b" "$OUT"
check "nothing is left locally (no dump, no manifest, no temporary file)" test -z "$(ls -A "$HIST" | grep -v -E '^\.mysqlpitr-(.*\.lock|state)$')"
aws_s3 cp "$URL" "$HARNESS_TMP/streamed.gz" >/dev/null
aws_s3 cp "${URL%/*}/.mysqlpitr-records/${URL##*/}.json" "$HARNESS_TMP/streamed.json" >/dev/null
check "the object is what its record says (size, SHA-256)" python3 -c "
import json, hashlib, sys
r = json.load(open(sys.argv[1])); data = open(sys.argv[2], 'rb').read()
assert r['sha256'] == hashlib.sha256(data).hexdigest() and r['size'] == len(data) and r['databases'] == ['shop'], r" \
  "$HARNESS_TMP/streamed.json" "$HARNESS_TMP/streamed.gz"
sql "DROP DATABASE shop"
expect_exit 0 mps restore-historical "$URL" --yes
check "the restore from the streamed object gives the same CHECKSUM TABLE" test "$(sql "CHECKSUM TABLE shop.orders" | cut -f2)" = "$SUM"
expect_exit 0 mps verify --drill --db shop --json
check "verify --drill (mode s3) rehearses the bucket's dump against its record" python3 -c '
import json, sys
d = json.loads(sys.argv[1])["drill"]["shop"]
assert d["ok"] and d["dump"] == sys.argv[2] and d["compared"] == "rows and fingerprints per table", d' "$OUT" "$URL"

echo "# mode s3: kill -9 while the dump streams into the bucket leaves no object under a final key"
# 2^16 rows of 256 random hex characters: about 8 MiB gzipped, more than one 5 MiB part.
sql "CREATE DATABASE big; CREATE TABLE big.t (id INT PRIMARY KEY, v TEXT);
     INSERT INTO big.t VALUES (1, CONCAT(SHA2(RAND(), 512), SHA2(RAND(), 512)));
     $(for _ in $(seq 16); do printf 'SET @m = (SELECT MAX(id) FROM big.t); INSERT INTO big.t SELECT id + @m, CONCAT(SHA2(RAND(), 512), SHA2(RAND(), 512)) FROM big.t; '; done)"
check "the big table has its rows" test "$(sql "SELECT COUNT(*) FROM big.t")" = 65536
# The proxy also answers ListMultipartUploads (s3rver cannot), the uploads shown two days old.
start_s3_fault_proxy --list-uploads-age 172800 "delay:parts:seconds=4"
SLOW=$HARNESS_TMP/slow.toml; write_config "$SLOW"; append_s3_config "$SLOW" s3 "$S3_PROXY_ENDPOINT"
printf 'part_size = "5MiB"\n' >>"$SLOW"
"$MYSQLPITR_BIN" -c "$SLOW" backup --kind historical --db big </dev/null >/dev/null 2>&1 &
KILLED=$!
for _ in $(seq 1 150); do grep -q "partNumber=" "$S3_PROXY_LOG" && break; sleep 0.1; done
check "a part was in flight when the run was killed" grep -q "partNumber=" "$S3_PROXY_LOG"
kill -9 "$KILLED"; wait "$KILLED" 2>/dev/null
check "no object under a final key" test -z "$(objects historical/ | grep -v mysqlpitr-records | grep big-back_)"
# Killed while its last part was in flight, the dump had recorded itself as pending (a record
# without its object: ignored by every reader, removed by prune below).
for record in $(objects historical/.mysqlpitr-records/ | grep big-back_); do
  check "a record left is only a pending entry" python3 -c 'import json,sys
r = json.loads(sys.stdin.read()); assert list(r) == ["pending"], r' < <(aws_s3 cp "s3://$S3_BUCKET/$record" -)
done
local_left() { ls -A "$HIST" | grep -v -E '^\.mysqlpitr-(.*\.lock|state)$'; }
check "locally the killed run left at most hidden temporary segments" \
  bash -c 'test -z "$(grep -v -e "^\.big-back_.*\.partial" -e "^$" <<<"$1")"' _ "$(local_left)"
expect_exit 0 mps backup --kind historical --db shop
check "the next run removes them: nothing is left locally" test -z "$(local_left)"
echo "# the killed run's multipart upload: listed, and aborted by prune once stale"
uploads() { AWS_ENDPOINT=$S3_PROXY_ENDPOINT aws_cli s3api list-multipart-uploads --bucket "$S3_BUCKET" --output json; }
check "the killed run's multipart upload is still open (listed by the aws client)" \
  python3 -c 'import json,sys; u=json.loads(sys.argv[1] or "{}").get("Uploads", [])
assert [x["Key"] for x in u if x["Key"].startswith("historical/big-back_")], u' "$(uploads)"
expect_exit 0 "$MYSQLPITR_BIN" -c "$SLOW" --yes prune --older-than 36500 --what historical
check "prune aborted the stale upload" grep -q -E "^PASS [0-9]+ DELETE /$S3_BUCKET/historical/big-back_[^ ]*uploadId=[^ ]* 204 " "$S3_PROXY_LOG"
check "no multipart upload is left open" python3 -c 'import json,sys
assert not json.loads(sys.argv[1] or "{}").get("Uploads"), sys.argv[1]' "$(uploads)"
check "no record of the killed run is left" test -z "$(objects historical/ | grep big-back_)"
stop_s3_fault_proxy

echo "# mode s3: a database larger than the spool streams while its tables are dumped"
# Three tables of about 16 MiB gzipped each, 3 jobs, 5 MiB parts: the tables waiting for their turn
# spool at most 10 MiB in all (twice part_size), where the whole database is about 48 MiB.
sql "CREATE DATABASE wide;
  $(for t in a b c; do printf 'CREATE TABLE wide.%s (id INT PRIMARY KEY, v TEXT) SELECT id, v FROM big.t UNION ALL SELECT id + 65536, REVERSE(v) FROM big.t; ' $t; done)
  CREATE TABLE wide.m (id INT PRIMARY KEY, v TEXT) ENGINE=MyISAM SELECT id, v FROM big.t WHERE id <= 1000"
# (wide.m, MyISAM, is read under the global read lock: it spools whole and never writes into the upload.)
WIDE_SUM=$(sql "CHECKSUM TABLE wide.a, wide.b, wide.c, wide.m" | cut -f2 | tr '\n' ' ')
BOUND=$HARNESS_TMP/bound.toml; write_config "$BOUND"; append_s3_config "$BOUND" s3
printf 'part_size = "5MiB"\n' >>"$BOUND"
"$MYSQLPITR_BIN" -c "$BOUND" backup --kind historical --db wide --jobs 3 </dev/null >"$HARNESS_TMP/wide.out" 2>&1 &
WIDE=$!
PEAK=0
while kill -0 "$WIDE" 2>/dev/null; do
  NOW=$(find "$HIST" -name '.wide-back_*' -printf '%s\n' 2>/dev/null | awk '{s += $1} END {print s + 0}')
  [ "$NOW" -gt "$PEAK" ] && PEAK=$NOW
  sleep 0.02
done
wait "$WIDE"; WIDE_RC=$?
check "the backup of the larger database succeeded" test "$WIDE_RC" = 0
echo "# spool peak: $PEAK bytes"
# Twice part_size, and wide.m's spool (about 130 KiB, not counted: read under the lock, it never waits).
check "its spool never held more than twice part_size (10 MiB) and the MyISAM table" \
  test "$PEAK" -le $((10 * 1024 * 1024 + 512 * 1024))
check "... while the database is larger than that (it was streamed)" \
  test "$(aws_s3 ls "s3://$S3_BUCKET/historical/" | awk '/wide-back_/ {print $3}')" -gt $((30 * 1024 * 1024))
WIDE_NAME=$(objects historical/ | grep -v mysqlpitr-records | grep wide-back_ | sed 's,^historical/,,')
aws_s3 cp "s3://$S3_BUCKET/historical/$WIDE_NAME" "$HARNESS_TMP/wide.gz" >/dev/null
aws_s3 cp "s3://$S3_BUCKET/historical/.mysqlpitr-records/$WIDE_NAME.json" "$HARNESS_TMP/wide.json" >/dev/null
check "the streamed object is what its record says (aws s3 cp, SHA-256)" python3 -c "
import json, hashlib, sys
r = json.load(open(sys.argv[1])); data = open(sys.argv[2], 'rb').read()
assert r['sha256'] == hashlib.sha256(data).hexdigest() and r['size'] == len(data) and r['tables'] == 4, r" \
  "$HARNESS_TMP/wide.json" "$HARNESS_TMP/wide.gz"
check "... with its tables in file order" bash -c 'test "$(gzip -dc "$1" | grep -o "^CREATE TABLE \`[a-z]*\`" | tr -d "\n")" = \
  "CREATE TABLE \`a\`CREATE TABLE \`b\`CREATE TABLE \`c\`CREATE TABLE \`m\`"' _ "$HARNESS_TMP/wide.gz"
sql "DROP DATABASE wide"
expect_exit 0 "$MYSQLPITR_BIN" -c "$BOUND" restore-historical "s3://$S3_BUCKET/historical/$WIDE_NAME" --yes
check "it restores the same four tables (CHECKSUM TABLE)" \
  test "$(sql "CHECKSUM TABLE wide.a, wide.b, wide.c, wide.m" | cut -f2 | tr '\n' ' ')" = "$WIDE_SUM"
check "nothing is left locally" test -z "$(local_left)"
# Every part refused while three tables stream or wait: the run fails (no writer left waiting),
# the object already there untouched, nothing left locally.
start_s3_fault_proxy "503:method=PUT:every=1"
FAILING=$HARNESS_TMP/failing.toml; write_config "$FAILING"; append_s3_config "$FAILING" s3 "$S3_PROXY_ENDPOINT"
printf 'part_size = "5MiB"\n' >>"$FAILING"
expect_exit 1 timeout 300 "$MYSQLPITR_BIN" -c "$FAILING" backup --kind historical --db wide --jobs 3
check "the failure names the database" contains "$ERR$OUT" "wide"
aws_s3 cp "s3://$S3_BUCKET/historical/$WIDE_NAME" "$HARNESS_TMP/wide-after.gz" >/dev/null
check "the object of the run before is untouched" cmp -s "$HARNESS_TMP/wide.gz" "$HARNESS_TMP/wide-after.gz"
check "nothing is left locally by the failed run" test -z "$(local_left)"
stop_s3_fault_proxy
sql "DROP DATABASE wide"

echo "# faults: a 503 on every 2nd PUT is retried; a dead bucket fails the run, nothing under the final key"
start_s3_fault_proxy "503:method=PUT:every=2"
RETRY=$HARNESS_TMP/retry.toml; write_config "$RETRY"; append_s3_config "$RETRY" s3 "$S3_PROXY_ENDPOINT"
aws_s3 rm "s3://$S3_BUCKET/schema" --recursive >/dev/null
sleep 1  # another second in the dump's name
expect_exit 0 "$MYSQLPITR_BIN" -c "$RETRY" backup --kind schema
check "the proxy answered 503 at least once" test "$(proxy_faults 503)" -ge 1
SCHEMA2=$(objects schema/ | grep -v mysqlpitr-records | sed 's,^schema/,,')
aws_s3 cp "s3://$S3_BUCKET/schema/$SCHEMA2" "$HARNESS_TMP/schema2.gz" >/dev/null
check "after the retries the object is whole" bash -c 'gzip -dc "$1" | tail -1 | grep -q "^-- Dump completed"' _ "$HARNESS_TMP/schema2.gz"
stop_s3_fault_proxy
start_s3_fault_proxy "drop"
DEAD=$HARNESS_TMP/dead.toml; write_config "$DEAD"; append_s3_config "$DEAD" s3 "$S3_PROXY_ENDPOINT"
aws_s3 rm "s3://$S3_BUCKET/schema" --recursive >/dev/null
sleep 1
expect_exit 1 "$MYSQLPITR_BIN" -c "$DEAD" backup --kind schema
check "the failure names the object" matches "$ERR$OUT" "s3://$S3_BUCKET/schema/back-no-data_"
check "no object under the final key" test -z "$(objects schema/)"
check "nothing is left locally either (streamed)" test -z "$(local_left)"
stop_s3_fault_proxy

harness_finish
