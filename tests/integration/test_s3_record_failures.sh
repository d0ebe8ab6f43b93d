#!/usr/bin/env bash
# An object and its record are two requests to a bucket: what a failure between them leaves.
# A database's PITR base always has the same key, so a new one replaces the last: whatever fails
# (the record's PUT, the object's answer lost, every PUT of the record), the key holds a base its
# record describes, `verify` accepts it and restore-pitr restores from it. A historical dump's key
# is new: a failure after its upload leaves nothing, and the run says so. A record that describes
# two objects of the same size tells them apart by SHA-256. prune aborts a killed run's upload of a
# base. Of two runs writing one base from hosts that share no lock, the one whose record lands last
# fails saying so (never two successes with a record that describes neither). Faults through the proxy (tests/tools/s3_fault_proxy.py), the aws client as the oracle.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
source "$(dirname "$0")/pitr_lib.sh"
start_s3

ONLY=$HARNESS_TMP/s3.toml; write_config "$ONLY"; append_s3_config "$ONLY" s3
mps() { "$MYSQLPITR_BIN" -c "$ONLY" "$@" </dev/null; }
objects() { aws_s3 ls "s3://$S3_BUCKET/$1" --recursive | awk '{print $4}'; }
BASE=pitr-base/shop-back.sql
RECORD=pitr-base/.mysqlpitr-records/shop-back.sql.json
record() { aws_s3 cp "s3://$S3_BUCKET/$RECORD" - 2>/dev/null; }
base_sha() { aws_s3 cp "s3://$S3_BUCKET/$BASE" - 2>/dev/null | sha256sum | cut -d' ' -f1; }
# faulty RULE...: a configuration whose endpoint is a fault proxy with those rules.
faulty() {
  [ -z "${S3_PROXY_PID:-}" ] || stop_s3_fault_proxy
  start_s3_fault_proxy "$@"
  FAULTY=$HARNESS_TMP/faulty.toml; write_config "$FAULTY"; append_s3_config "$FAULTY" s3 "$S3_PROXY_ENDPOINT"
}
mpf() { "$MYSQLPITR_BIN" -c "$FAULTY" "$@" </dev/null; }

sql "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(100)); INSERT INTO shop.t VALUES (1,'a');"

echo "# a base in the bucket, then the record's last PUT failing: the new base is recorded (pending)"
expect_exit 0 mps backup --kind pitr-base --db shop
OLD_SHA=$(base_sha)
sql "INSERT INTO shop.t VALUES (2,'in the second base')"
faulty "503:path=mysqlpitr-records:method=PUT:after=1"
expect_exit 1 mpf backup --kind pitr-base --db shop
check "the failure names the base and says its record describes both" \
  contains "$ERR" "s3://$S3_BUCKET/$BASE: " && contains "$ERR" "its record describes both"
check "the proxy refused the record's final PUT" test "$(proxy_faults 503)" -ge 1
NEW_SHA=$(base_sha)
check "the new base replaced the old one" test "$NEW_SHA" != "$OLD_SHA"
check "the record holds the new base as pending" python3 -c "
import json, sys; r = json.loads(sys.stdin.read())
assert r['pending']['sha256'] == '$NEW_SHA' and r['sha256'] == '$OLD_SHA', r" < <(record)
expect_exit 0 mps verify
check "verify accepts the base its pending entry describes" matches "$OUT$ERR" "shop-back.sql"
FP_SECOND=$(fingerprint shop)
expect_exit 0 mps --yes restore-pitr --db shop --into shop_r
check "restore-pitr restores from it" same_text "$(fingerprint shop_r)" "$FP_SECOND"
sql "DROP DATABASE shop_r"

echo "# the next good run leaves a plain record"
expect_exit 0 mps backup --kind pitr-base --db shop
check "no pending entry is left" python3 -c "
import json, sys; r = json.loads(sys.stdin.read()); assert 'pending' not in r and r['sha256'] == '$(base_sha)', r" < <(record)

echo "# every PUT of the record failing: nothing is published, the old base stays with its record"
GOOD_SHA=$(base_sha)
sql "INSERT INTO shop.t VALUES (3,'never based')"
faulty "503:path=mysqlpitr-records:method=PUT"
expect_exit 1 mpf backup --kind pitr-base --db shop
check "the base is the one before" test "$(base_sha)" = "$GOOD_SHA"
check "its record still describes it" python3 -c "
import json, sys; r = json.loads(sys.stdin.read()); assert r['sha256'] == '$GOOD_SHA' and 'pending' not in r, r" < <(record)
expect_exit 0 mps verify

echo "# the base's answers lost (stored, never confirmed): the base there is recorded"
faulty "lose:method=PUT:path=pitr-base/shop-back"
expect_exit 1 mpf backup --kind pitr-base --db shop
check "the proxy lost the base's answers" test "$(proxy_faults lose)" -ge 1
check "the base is the new one" test "$(base_sha)" != "$GOOD_SHA"
expect_exit 0 mps verify
FP_THIRD=$(fingerprint shop)
expect_exit 0 mps --yes restore-pitr --db shop --into shop_r
check "restore-pitr restores from the unconfirmed base" same_text "$(fingerprint shop_r)" "$FP_THIRD"
sql "DROP DATABASE shop_r"
stop_s3_fault_proxy

echo "# two entries of one size: told apart by SHA-256"
SIZE=$(aws_s3 ls "s3://$S3_BUCKET/$BASE" | awk '{print $3}')
SHA=$(base_sha)
doctor_record() {  # doctor_record OLD_SHA PENDING_SHA
  record | python3 -c "
import json, sys; r = json.loads(sys.stdin.read()); r.pop('pending', None)
p = dict(r); r['sha256'] = sys.argv[1]; p['sha256'] = sys.argv[2]; r['size'] = p['size'] = int(sys.argv[3])
r['pending'] = p; print(json.dumps(r))" "$1" "$2" "$SIZE" >"$HARNESS_TMP/record.json"
  aws_s3 cp "$HARNESS_TMP/record.json" "s3://$S3_BUCKET/$RECORD" >/dev/null
}
OTHER=$(printf 'another base' | sha256sum | cut -d' ' -f1)
doctor_record "$OTHER" "$SHA"
expect_exit 0 mps verify
doctor_record "$SHA" "$OTHER"
expect_exit 0 mps verify
doctor_record "$OTHER" "$OTHER"
expect_exit 1 mps verify
check "a base neither entry describes is refused by its SHA-256" contains "$ERR$OUT" "shop-back.sql"
expect_exit 0 mps backup --kind pitr-base --db shop
BEFORE_KILL=$(base_sha)

echo "# a base key holding an object without a record (uploaded by hand): what a failure leaves"
sql "CREATE DATABASE crm; CREATE TABLE crm.c (id INT PRIMARY KEY); INSERT INTO crm.c VALUES (1)"
printf 'not a base of this tool\n' >"$HARNESS_TMP/by-hand.sql"
aws_s3 cp "$HARNESS_TMP/by-hand.sql" "s3://$S3_BUCKET/pitr-base/crm-back.sql" >/dev/null
faulty "503:path=pitr-base/crm-back.sql$:method=PUT"
expect_exit 1 mpf backup --kind pitr-base --db crm
check "the base's PUT was refused" test "$(proxy_faults 503)" -ge 1
check "the failure says the key holds the unrecorded object it held or the new one" \
  contains "$ERR" "holds the unrecorded object it held before"
check "the object by hand is still there" same_text "$(aws_s3 cp "s3://$S3_BUCKET/pitr-base/crm-back.sql" -)" \
  "not a base of this tool"
expect_exit 0 mps list backups --json
check "list does not take the unrecorded object for a base" lacks "$OUT" "crm-back.sql"
expect_exit 1 mps verify
check "verify still calls it unrecorded, as before the run" \
  contains "$ERR" "pitr-base/crm-back.sql: no mysqlpitr record"
faulty "503:path=mysqlpitr-records:method=PUT:after=1"
expect_exit 1 mpf backup --kind pitr-base --db crm
check "the record's final PUT refused: the new base replaced the object by hand" \
  contains "$ERR" "holds the unrecorded object it held before (still ignored by readers) or the new one"
expect_exit 0 mps verify
check "verify accepts the new base its pending entry describes" contains "$OUT$ERR" "ok     s3://$S3_BUCKET/pitr-base/crm-back.sql"
stop_s3_fault_proxy

echo "# historical: the record's last PUT failing leaves nothing, and the run says so"
faulty "503:path=mysqlpitr-records:method=PUT:after=1"
expect_exit 1 mpf backup --kind historical --db shop
check "the run says nothing was left" contains "$ERR" "nothing was left under s3://$S3_BUCKET/historical/shop-back_"
check "no dump and no record in the bucket" test -z "$(objects historical/)"
faulty "lose:method=PUT:path=historical/shop-back"
expect_exit 1 mpf backup --kind historical --db shop
check "answers lost: nothing was left either" test -z "$(objects historical/)"
stop_s3_fault_proxy

echo "# prune aborts a killed run's upload of a base"
sql -D shop "CREATE TABLE shop.big (id INT PRIMARY KEY, pad VARCHAR(2000));
     INSERT INTO shop.big SELECT seq, REPEAT(MD5(seq), 60) FROM seq_1_to_6000;"
faulty --list-uploads-age 172800 "delay:parts:seconds=4"
printf 'part_size = "5MiB"\n' >>"$FAULTY"
"$MYSQLPITR_BIN" -c "$FAULTY" backup --kind pitr-base --db shop </dev/null >/dev/null 2>&1 &
KILLED=$!
for _ in $(seq 1 150); do grep -q "partNumber=" "$S3_PROXY_LOG" && break; sleep 0.1; done
check "a part of the base was in flight when the run was killed" grep -q "partNumber=" "$S3_PROXY_LOG"
kill -9 "$KILLED"; wait "$KILLED" 2>/dev/null
expect_exit 0 mpf --yes prune --older-than 1000 --what binlogs
check "prune aborted the base's upload" contains "$OUT$ERR" "$BASE"
check "the abort reached the server" grep -q "DELETE /$S3_BUCKET/$BASE?uploadId=" "$S3_PROXY_LOG"
stop_s3_fault_proxy
check "the killed run left the base before it" test "$(base_sha)" = "$BEFORE_KILL"
expect_exit 0 mps verify

echo "# two runs writing one base from hosts that share no lock: the one whose record lands last fails"
mkdir -p "$HARNESS_TMP/hostB/inc" "$HARNESS_TMP/hostB/hist" "$HARNESS_TMP/hostB/bin"
start_s3_fault_proxy "delay:method=PUT:path=pitr-base/.mysqlpitr-records:seconds=6:nth=2"
B_CONF=$HARNESS_TMP/b.toml; write_config "$B_CONF"
sed -i "s#^historical = .*#historical = \"$HARNESS_TMP/hostB/hist\"#; s#^schema = .*#schema = \"$HARNESS_TMP/hostB/hist\"#; s#^pitr_base = .*#pitr_base = \"$HARNESS_TMP/hostB/inc\"#; s#^binlog_archive = .*#binlog_archive = \"$HARNESS_TMP/hostB/bin\"#" "$B_CONF"
append_s3_config "$B_CONF" s3 "$S3_PROXY_ENDPOINT"
"$MYSQLPITR_BIN" -c "$B_CONF" backup --kind pitr-base --db shop </dev/null >"$HARNESS_TMP/b.out" 2>&1 &
B=$!
for _ in $(seq 1 100); do grep -q "^FAULT delay" "$S3_PROXY_LOG" 2>/dev/null && break; sleep 0.1; done
sql -D shop "INSERT INTO shop.big VALUES (100000, 'a row only the other run has')"
expect_exit 0 mps backup --kind pitr-base --db shop
wait "$B"; B_EXIT=$?
check "the run whose record landed last fails" test "$B_EXIT" = 1
check "... saying another run replaced the base while its record was written" \
  contains "$(cat "$HARNESS_TMP/b.out")" "s3://$S3_BUCKET/$BASE: another run replaced it while its record was being written"
stop_s3_fault_proxy

harness_finish
