#!/usr/bin/env bash
# A binlog's name in the bucket holding another binlog than this server's verified copy: after
# RESET MASTER (the numbering restarts), on a replacement server, or with two servers writing to
# one prefix. rotate-binlogs never replaces it and never takes it for this server's copy: a binlog
# an earlier upload recorded is left as it is and the upload refused (exit 1, the local copy stays,
# the message says what to do); other bytes without a record (an upload by hand) are set aside in
# the bucket (binlogs/.mysqlpitr-aside/<name>.aside-<time>, byte-identical, outside every listing
# and prune) and this server's copy uploaded, with a warning. An object with this copy's bytes but
# no record (a killed run's upload) is uploaded again. In mode s3 a local copy is removed once the
# server purged it only when the bucket's object, read back, holds the same bytes: an object
# replaced by hand under a record that still describes the copy keeps the local copy (exit 1).
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
start_s3
A=$BACKUP_DIR/binlogs
S3CONFIG=$HARNESS_TMP/s3.toml
write_config "$S3CONFIG"
append_s3_config "$S3CONFIG" both
mps() { "$MYSQLPITR_BIN" -c "$S3CONFIG" "$@" </dev/null; }
object() { aws_s3 cp "s3://$S3_BUCKET/binlogs/$1" - 2>/dev/null; }
object_sha() { object "$1" | sha256sum | cut -d' ' -f1; }
active() { sql "SHOW MASTER STATUS" | cut -f1; }
asides() { aws_s3 ls --recursive "s3://$S3_BUCKET/binlogs/.mysqlpitr-aside/" 2>/dev/null | awk '{print $4}'; }
# put_foreign NAME FILE: FILE uploaded under NAME with a record that describes it, as another
# server's rotate-binlogs writing to this prefix would leave it.
put_foreign() {
  aws_s3 cp --quiet "$2" "s3://$S3_BUCKET/binlogs/$1" >/dev/null
  python3 -c "
import hashlib, json, os, sys
data = open(sys.argv[2], 'rb').read()
print(json.dumps({'name': sys.argv[1], 'kind': 'binlog', 'size': len(data), 'sha256': hashlib.sha256(data).hexdigest()}))
" "$1" "$2" >"$HARNESS_TMP/record.json"
  aws_s3 cp --quiet "$HARNESS_TMP/record.json" "s3://$S3_BUCKET/binlogs/.mysqlpitr-records/$1.json" >/dev/null
}
json_field() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(json.dumps(eval(sys.argv[2])))" "$OUT" "$1"; }

sql "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(100)); INSERT INTO shop.t VALUES (1,'a');"
sql "FLUSH BINARY LOGS; INSERT INTO shop.t VALUES (2,'b'); FLUSH BINARY LOGS; INSERT INTO shop.t VALUES (3,'c'); FLUSH BINARY LOGS"
expect_exit 0 mps rotate-binlogs --json
FIRST=$(ls "$A" | grep '^mysql-bin\.' | sort | head -1)
SECOND=$(ls "$A" | grep '^mysql-bin\.' | sort | sed -n 2p)
THIRD=$(ls "$A" | grep '^mysql-bin\.' | sort | sed -n 3p)
check "three binlogs archived and uploaded" test -n "$THIRD" -a "$(object_sha "$THIRD")" = "$(sha256sum <"$A/$THIRD" | cut -d' ' -f1)"

echo "# another server's binlog of another size under a name, with its record: refused, left as it is"
printf 'another server binlog, another size\n' >"$HARNESS_TMP/foreign1"
put_foreign "$FIRST" "$HARNESS_TMP/foreign1"
expect_exit 1 mps rotate-binlogs --no-flush --json
check "the run names the object, says what it holds and what to do" \
  matches "$ERR" "upload of $FIRST failed \(the local copy .*$FIRST stays\): s3://$S3_BUCKET/binlogs/$FIRST holds another binlog of that name, recorded by an earlier upload .*give this server its own s3.prefix"
check "the other server's binlog is untouched" cmp -s <(object "$FIRST") "$HARNESS_TMP/foreign1"
check "nothing was set aside or uploaded" test "$(json_field "[d['bucket']['set_aside'], d['bucket']['uploaded'], d['bucket']['failed']]")" = "[[], [], [\"$FIRST\"]]"
# The operator moves the other history away: the next run uploads this server's copy.
aws_s3 rm --quiet "s3://$S3_BUCKET/binlogs/$FIRST" >/dev/null
aws_s3 rm --quiet "s3://$S3_BUCKET/binlogs/.mysqlpitr-records/$FIRST.json" >/dev/null
expect_exit 0 mps rotate-binlogs --no-flush --json
check "the name then holds this server's copy" cmp -s <(object "$FIRST") "$A/$FIRST"

echo "# another binlog of the same size, its record describing it: not taken for this server's copy"
cp "$A/$SECOND" "$HARNESS_TMP/foreign2"
printf 'X' | dd of="$HARNESS_TMP/foreign2" bs=1 seek=200 conv=notrunc status=none
check "the other binlog differs but has the size of this server's" \
  test "$(stat -c %s "$HARNESS_TMP/foreign2")" = "$(stat -c %s "$A/$SECOND")" -a "$(sha256sum <"$HARNESS_TMP/foreign2")" != "$(sha256sum <"$A/$SECOND")"
put_foreign "$SECOND" "$HARNESS_TMP/foreign2"
expect_exit 1 mps rotate-binlogs --no-flush --json
check "it is refused, not counted as in the bucket" \
  test "$(json_field "[d['bucket']['failed'], '$SECOND' in d['bucket']['in_bucket']]")" = "[[\"$SECOND\"], false]"
check "the other binlog is untouched" cmp -s <(object "$SECOND") "$HARNESS_TMP/foreign2"
aws_s3 cp --quiet "$A/$SECOND" "s3://$S3_BUCKET/binlogs/$SECOND" >/dev/null
aws_s3 rm --quiet "s3://$S3_BUCKET/binlogs/.mysqlpitr-records/$SECOND.json" >/dev/null

echo "# other bytes under a name with no record describing them (an upload by hand): set aside"
printf 'uploaded by hand\n' >"$HARNESS_TMP/by-hand"
aws_s3 cp --quiet "$HARNESS_TMP/by-hand" "s3://$S3_BUCKET/binlogs/$FIRST" >/dev/null
expect_exit 0 mps rotate-binlogs --no-flush --json
check "it is set aside, named in the JSON, and this server's copy uploaded" \
  test "$(json_field "[[e['name'] for e in d['bucket']['set_aside']], sorted(d['bucket']['uploaded'])]")" = "[[\"$FIRST\"], [\"$FIRST\", \"$SECOND\"]]"
check "the warning names the object and where it was kept" \
  matches "$ERR" "s3://$S3_BUCKET/binlogs/$FIRST held another file of that name without a record.*kept as s3://$S3_BUCKET/binlogs/\.mysqlpitr-aside/$FIRST\.aside-"
KEPT=$(asides | grep "^binlogs/.mysqlpitr-aside/$FIRST.aside-" | head -1)
check "the aside object holds the bytes uploaded by hand" cmp -s <(aws_s3 cp "s3://$S3_BUCKET/$KEPT" -) "$HARNESS_TMP/by-hand"
check "the name holds this server's copy" cmp -s <(object "$FIRST") "$A/$FIRST"
check "$SECOND (this copy's bytes, its record removed) was uploaded again, not set aside" \
  cmp -s <(object "$SECOND") "$A/$SECOND"

echo "# a killed run's upload (this copy's bytes, no record): uploaded again, nothing set aside"
aws_s3 rm --quiet "s3://$S3_BUCKET/binlogs/.mysqlpitr-records/$THIRD.json" >/dev/null
expect_exit 0 mps rotate-binlogs --no-flush --json
check "uploaded again and nothing set aside" \
  test "$(json_field "[d['bucket']['uploaded'], d['bucket']['set_aside']]")" = "[[\"$THIRD\"], []]"

echo "# mode s3: an object replaced by hand under a record that still describes the copy keeps the local copy"
ONLY=$HARNESS_TMP/only.toml
write_config "$ONLY"
append_s3_config "$ONLY" s3
mpo() { "$MYSQLPITR_BIN" -c "$ONLY" "$@" </dev/null; }
cp "$A/$THIRD" "$HARNESS_TMP/third"
cp "$A/$THIRD" "$HARNESS_TMP/swapped"
printf 'Y' | dd of="$HARNESS_TMP/swapped" bs=1 seek=200 conv=notrunc status=none
aws_s3 cp --quiet "$HARNESS_TMP/swapped" "s3://$S3_BUCKET/binlogs/$THIRD" >/dev/null
sql "FLUSH BINARY LOGS"; sql "PURGE BINARY LOGS TO '$(active)'"
expect_exit 1 mpo rotate-binlogs --no-flush --json
check "the local copy is not removed, and the run says why" \
  matches "$ERR" "cannot remove the uploaded $THIRD .*s3://$S3_BUCKET/binlogs/$THIRD is not .*$THIRD .*the local copy stays"
check "the local copy is still there" test -s "$A/$THIRD"
check "the copies before it were released (their objects read back whole)" \
  test ! -e "$A/$FIRST" -a ! -e "$A/$SECOND"
aws_s3 cp --quiet "$HARNESS_TMP/third" "s3://$S3_BUCKET/binlogs/$THIRD" >/dev/null
expect_exit 0 mpo rotate-binlogs --no-flush --json
check "with the object whole again, the local copy is released" test ! -e "$A/$THIRD"
check "... and the bucket holds it" cmp -s <(object "$THIRD") "$HARNESS_TMP/third"

echo "# mode s3, RESET MASTER: the new history's first binlog has the old first's name; the old one stays"
sql "FLUSH BINARY LOGS"; sql "PURGE BINARY LOGS TO '$(active)'"
expect_exit 0 mpo rotate-binlogs --no-flush
check "every closed binlog was released locally" test -z "$(ls "$A" | grep '^mysql-bin\.' | grep -vx "$(active)")"
OLD_FIRST_SHA=$(object_sha "$FIRST")
sql "RESET MASTER"
sql "INSERT INTO shop.t VALUES (4,'new history'); FLUSH BINARY LOGS; INSERT INTO shop.t VALUES (5,'e')"
expect_exit 1 mpo rotate-binlogs --no-flush --json
check "the upload of the new $FIRST is refused, saying why" matches "$ERR" "$FIRST holds another binlog of that name.*RESET MASTER"
check "the old history's $FIRST is untouched" test "$(object_sha "$FIRST")" = "$OLD_FIRST_SHA"
check "the new history's $FIRST stays in the local spool" cmp -s "$A/$FIRST" "$DATADIR/$FIRST"
# The operator keeps the old history under another prefix; the next run uploads the new one.
aws_s3 mv --quiet --recursive "s3://$S3_BUCKET/binlogs/" "s3://$S3_BUCKET/old-history/binlogs/" >/dev/null
expect_exit 0 mpo rotate-binlogs --no-flush --json
check "then the new history's $FIRST is uploaded" cmp -s <(object "$FIRST") "$DATADIR/$FIRST"
check "the old history was kept where the operator moved it" \
  test "$(aws_s3 cp "s3://$S3_BUCKET/old-history/binlogs/$FIRST" - | sha256sum | cut -d' ' -f1)" = "$OLD_FIRST_SHA"

echo "# the aside objects are no binlogs to list or prune"
expect_exit 0 mpo list binlogs --json
check "list binlogs does not show them" lacks "$OUT" ".aside-"
aws_s3 cp --quiet "$HARNESS_TMP/by-hand" "s3://$S3_BUCKET/binlogs/.mysqlpitr-aside/by-hand.aside-20261206T000000Z" >/dev/null
ASIDE_BEFORE=$(asides | wc -l)
expect_exit 0 mpo --yes prune --older-than 0 --what binlogs
check "prune went over the bucket's binlogs" contains "$OUT$ERR" "binlogs in s3://$S3_BUCKET/binlogs/"
check "prune leaves every aside object" test "$(asides | wc -l)" -eq "$ASIDE_BEFORE" -a "$ASIDE_BEFORE" -ge 1

harness_finish
