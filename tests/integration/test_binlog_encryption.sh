#!/usr/bin/env bash
# Encryption at rest of archived binlogs: with encryption.key_file set rotate-binlogs writes each
# closed binlog encrypted under its own name (a header tells it, no row can be read in it), records
# the binlog's and the stored bytes' SHA-256, keeps it on the next runs without copying it again,
# and every reader (list, verify, verify --drill --pitr, binlogs show, restore-pitr from the archive
# and from the bucket) decrypts on the fly; binlogs stream archives what it closes encrypted. A changed or cut archived binlog is refused with exit 1 before anything is
# dropped; no key is exit 5 naming the key id.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
source "$(dirname "$0")/pitr_lib.sh"

sql "CREATE DATABASE shop"
sql -D shop "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200)) ENGINE=InnoDB;
             INSERT INTO t SELECT seq, CONCAT('seed ', seq) FROM seq_1_to_100"
A=$BACKUP_DIR/binlogs
encrypted_config

expect_exit 0 mpe backup --kind pitr-base --db shop
# Binlogs of several 64 KiB chunks each, and a marker no encrypted file may show.
for round in 1 2 3; do
  sql -D shop "INSERT INTO t SELECT 1000 * $round + seq, CONCAT('secret-row-$round-', REPEAT(MD5(seq), 5)) FROM seq_1_to_1500"
  sql "FLUSH BINARY LOGS"
done
sleep 1.1
T=$(sql "SELECT NOW()")
FP_T=$(fingerprint shop)
sleep 1.1
sql -D shop "DELETE FROM t WHERE id < 2000; UPDATE t SET v = 'after T'"

echo "# rotate-binlogs encrypts each closed binlog under its own name"
expect_exit 0 mpe rotate-binlogs --json
ARCHIVED=$(cd "$A" && ls mysql-bin.[0-9]* | sort)
check "binlogs were archived under their own names" test "$(wc -l <<<"$ARCHIVED")" -ge 4
for name in $ARCHIVED; do
  check "$name starts with the encryption header" test "$(head -c 8 "$A/$name")" = MPITRENC
  check "$name's header names the key id" test "$(od -An -tx1 -j16 -N8 "$A/$name" | tr -d ' \n')" = "$KEY_ID"
done
check "no row can be read in the archive" bash -c '! grep -aqr "secret-row" "$1"' _ "$A"
check "the report and the record name the key id and the binlog's own SHA-256" python3 - "$A/.mysqlpitr-binlogs.json" "$DATADIR" "$OUT" <<'PY'
import hashlib, json, os, sys
record = json.load(open(sys.argv[1]))['copies']
report = json.loads(sys.argv[3])
assert report['copied'], report
for name in report['copied']:
    entry = record[name]
    server = open(os.path.join(sys.argv[2], name), 'rb').read()
    assert entry['plain_sha256'] == hashlib.sha256(server).hexdigest(), name
    assert entry['plain_size'] == len(server), name
    assert entry['size'] == os.path.getsize(os.path.join(os.path.dirname(sys.argv[1]), name)) > len(server), name
    item = [i for i in report['binlogs'] if i['name'] == name][0]
    assert item['encryption_key_id'] == entry['key_id'], item
PY

echo "# the next runs keep the encrypted copies: nothing copied again, nothing set aside"
expect_exit 0 mpe rotate-binlogs --no-flush --json
check "no binlog copied again" python3 -c "import json,sys; assert json.loads(sys.argv[1])['copied'] == []" "$OUT"
expect_exit 0 mpe rotate-binlogs --no-flush --recheck --json
check "a recheck compares the decrypted copies with the server's files" python3 -c "
import json, sys
r = json.loads(sys.argv[1]); assert r['copied'] == [] and r['set_aside'] == [] and r['verified'], r" "$OUT"
check "nothing was set aside" test ! -e "$A/aside"
rm -f "$A/.mysqlpitr-binlogs.json"
expect_exit 0 mpe rotate-binlogs --no-flush --json
check "with the record lost, the encrypted copies are compared by their plain size and bytes, not set aside" python3 -c "
import json, sys
r = json.loads(sys.argv[1]); assert r['copied'] == [] and r['set_aside'] == [], r" "$OUT"

echo "# list, verify and binlogs show read them through the key"
expect_exit 0 mpe --json list binlogs
check "list binlogs reads every encrypted binlog, no gap" python3 -c "
import json, sys
d = json.loads(sys.argv[1]); files = d['binlogs']
assert len(files) >= 4 and not d['gaps'] and all(f['encrypted'] and 'error' not in f for f in files), d" "$OUT"
expect_exit 0 mpe list binlogs
check "list binlogs marks them encrypted" test "$(grep -c ' encrypted$' <<<"$OUT")" = "$(wc -l <<<"$ARCHIVED")"
expect_exit 0 mpe verify "$A"
check "verify authenticates every archived binlog" test "$(grep -Ec "^ok +$A/mysql-bin\.[0-9]+ " <<<"$OUT"$'\n'"$ERR")" = "$(wc -l <<<"$ARCHIVED")"
expect_exit 1 mp verify "$A"
check "verify without a key fails naming the key id" contains "$OUT$ERR" "$KEY_ID"
FIRST=$(head -1 <<<"$ARCHIVED")
expect_exit 0 mpe binlogs show "$A/$FIRST"
SHOWN=$OUT
expect_exit 0 mp binlogs show "$DATADIR/$FIRST"
check "binlogs show of the encrypted copy shows what the server's file shows" same_text "$SHOWN" "$OUT"

echo "# restore-pitr replays the encrypted archive to a stop time exactly"
mkdir "$HARNESS_TMP/plain" && cp "$DATADIR"/mysql-bin.[0-9]* "$HARNESS_TMP/plain/"
sql "PURGE BINARY LOGS BEFORE NOW() + INTERVAL 1 DAY"  # the archive is then the only copy of closed binlogs
expect_exit 0 mpe --yes restore-pitr --db shop --into shop_p --stop-datetime "$T"
check "PITR from encrypted base and binlogs reaches the stop time" \
  same_text "$(fingerprint shop_p | sed 's/shop_p/shop/g')" "$(sed 's/shop_p/shop/g' <<<"$FP_T")"
sql "INSERT INTO shop_p.t VALUES (-1, 'kept')"
FP_P=$(fingerprint shop_p)
expect_exit 5 mp --yes restore-pitr --db shop --into shop_p --replace --stop-datetime "$T"
check "without the key: refused naming the key id" contains "$ERR" "$KEY_ID"
check "the target was not touched" same_text "$(fingerprint shop_p)" "$FP_P"

expect_exit 0 mpe backup --kind historical --db shop
expect_exit 0 mpe verify --drill --pitr --db shop --json
check "a PITR drill replays the encrypted archive up to the live rows" python3 -c "
import json, sys
d = json.loads(sys.argv[1])['drill']['shop']; assert d['ok'] and d['pitr']['ok'], d" "$OUT"

echo "# a tampered archived binlog is refused before anything is dropped"
VICTIM=$(cd "$A" && ls -S mysql-bin.[0-9]* | head -1)  # the largest: several chunks
cp "$A/$VICTIM" "$HARNESS_TMP/good"
SIZE=$(stat -c %s "$A/$VICTIM")
python3 - "$A/$VICTIM" <<'PY'
import sys
path = sys.argv[1]; data = bytearray(open(path, 'rb').read())
data[len(data) // 2] ^= 1
open(path, 'wb').write(data)
PY
expect_exit 1 mpe --yes restore-pitr --db shop --into shop_p --replace --stop-datetime "$T"
check "a flipped bit: refused naming the file" contains "$ERR" "$VICTIM"
check "the target was not touched" same_text "$(fingerprint shop_p)" "$FP_P"
expect_exit 1 mpe verify "$A/$VICTIM"
check "verify finds the flipped bit" contains "$OUT$ERR" "does not authenticate"
cp "$HARNESS_TMP/plain/$VICTIM" "$A/$VICTIM"  # a plain binlog (whole, CRC-valid) in the encrypted one's place
expect_exit 1 mpe --yes restore-pitr --db shop --into shop_p --replace --stop-datetime "$T"
check "a plain file where the record says encrypted: refused" contains "$ERR" "holds no encryption header"
check "the target was not touched" same_text "$(fingerprint shop_p)" "$FP_P"
cp "$HARNESS_TMP/good" "$A/$VICTIM"
truncate -s $(( $(stat -c %s "$A/$VICTIM") - 20 )) "$A/$VICTIM"  # cut inside its last chunk
expect_exit 1 mpe --yes restore-pitr --db shop --into shop_p --replace --stop-datetime "$T"
check "cut inside its last chunk: refused naming the file" contains "$ERR" "$VICTIM"
check "the target was not touched" same_text "$(fingerprint shop_p)" "$FP_P"
cp "$HARNESS_TMP/good" "$A/$VICTIM"
CHUNK=$((65536 + 17))
check "the victim has several chunks" test "$SIZE" -gt $((88 + 2 * CHUNK))
truncate -s $((88 + CHUNK)) "$A/$VICTIM"  # cut exactly at a chunk boundary
expect_exit 1 mpe --yes restore-pitr --db shop --into shop_p --replace --stop-datetime "$T"
check "cut at a chunk boundary: refused as cut" matches "$ERR" "truncated|was cut"
check "the target was not touched" same_text "$(fingerprint shop_p)" "$FP_P"
cp "$HARNESS_TMP/good" "$A/$VICTIM"

echo "# binlogs stream archives each binlog it closes encrypted; the one the server writes stays .streaming"
printf '\n[stream]\nserver_id = 77\nsync_interval = 1\n' >>"$ENC"
sql -D shop "INSERT INTO t VALUES (800001, 'streamed-secret')"
sql "FLUSH BINARY LOGS"
sql -D shop "INSERT INTO t VALUES (800002, 'still written')"
CLOSED=$(sql "SHOW BINARY LOGS" | cut -f1 | tail -2 | head -1)
ACTIVE=$(sql "SHOW BINARY LOGS" | cut -f1 | tail -1)
expect_exit 0 mpe binlogs stream --until-current
check "the binlog the stream closed is archived encrypted under its name" test "$(head -c 8 "$A/$CLOSED")" = MPITRENC
check "its plain streamed file is gone" test ! -e "$A/$CLOSED.streaming"
check "the binlog the server writes is kept as .streaming" test -s "$A/$ACTIVE.streaming"
check "no row of a closed binlog can be read in the archive" bash -c '! grep -aq streamed-secret "$1"' _ "$A/$CLOSED"
check "the record names the key id of the streamed binlog" python3 -c "
import json, sys
c = json.load(open(sys.argv[1]))['copies'][sys.argv[2]]
assert c['key_id'] == sys.argv[3] and c['plain_size'] < c['size'], c" "$A/.mysqlpitr-binlogs.json" "$CLOSED" "$KEY_ID"
expect_exit 0 mpe binlogs show "$A/$CLOSED"
SHOWN=$OUT
expect_exit 0 mp binlogs show "$DATADIR/$CLOSED"
check "it decrypts to the server's file, row included" bash -c '[ "$1" = "$2" ] && [[ "$1" == *800001* ]]' _ "$SHOWN" "$OUT"
expect_exit 0 mpe rotate-binlogs --no-flush --json
check "rotate-binlogs keeps the stream's encrypted copy" python3 -c "
import json, sys
r = json.loads(sys.argv[1]); assert r['copied'] == [] and r['set_aside'] == [] and r['whole'], r" "$OUT"

echo "# mode s3: the bucket holds the encrypted binlogs, and restore-pitr replays them from there"
start_s3
S3=$HARNESS_TMP/s3.toml
write_config "$S3"
append_s3_config "$S3" both
printf '[encryption]\nkey_file = "%s"\n' "$KEY" >>"$S3"
sed -i '/^backup_dir = /d' "$S3"  # no MongoDB here: verify has nothing to say of an empty folder
mps() { "$MYSQLPITR_BIN" -c "$S3" "$@" </dev/null; }
PLAIN_S3=$HARNESS_TMP/s3-plain.toml
write_config "$PLAIN_S3"
append_s3_config "$PLAIN_S3" both
expect_exit 0 "$MYSQLPITR_BIN" -c "$PLAIN_S3" backup --kind pitr-base --db shop
check "an unencrypted base went to the bucket first" bash -c 'grep -q " shop-back.sql$" <<<"$1"' _ "$(aws_s3 ls "s3://$S3_BUCKET/pitr-base/")"
expect_exit 0 mps backup --kind pitr-base --db shop
BASES_IN_BUCKET=$(aws_s3 ls "s3://$S3_BUCKET/pitr-base/")
check "the encrypted base replaced it in the bucket too (mode both)" \
  bash -c 'grep -q " shop-back.sql.enc$" <<<"$1" && ! grep -q " shop-back.sql$" <<<"$1"' _ "$BASES_IN_BUCKET"
sql -D shop "INSERT INTO t VALUES (900001, 'bucket-secret one')"
sql "FLUSH BINARY LOGS"
sleep 1.1
T2=$(sql "SELECT NOW()")
FP_T2=$(fingerprint shop)
sleep 1.1
sql -D shop "INSERT INTO t VALUES (900002, 'after T2')"
expect_exit 0 mps rotate-binlogs --json
LAST=$(cd "$A" && ls mysql-bin.[0-9]* | sort | tail -1)
check "the newest archived binlog is in the bucket, encrypted" \
  test "$(aws_s3 cp "s3://$S3_BUCKET/binlogs/$LAST" - | head -c 8)" = MPITRENC
aws_s3 cp --quiet --recursive "s3://$S3_BUCKET/binlogs/" "$HARNESS_TMP/from-bucket" >/dev/null
check "the bucket's binlogs were fetched" test -s "$HARNESS_TMP/from-bucket/$LAST"
check "no row can be read in the bucket's binlogs" bash -c '! grep -aqr bucket-secret "$1"' _ "$HARNESS_TMP/from-bucket"
check "the row is in the server's binlogs (the check above can fail)" bash -c 'grep -aqr bucket-secret "$1"/mysql-bin.[0-9]*' _ "$DATADIR"
SECRET_BINLOG=$(cd "$DATADIR" && grep -al bucket-secret mysql-bin.[0-9]* | head -1)
cp "$DATADIR/$SECRET_BINLOG" "$HARNESS_TMP/plain-$SECRET_BINLOG"
expect_exit 0 mps verify
check "verify (mode both) authenticates the bucket's encrypted binlogs against their records" \
  matches "$OUT"$'\n'"$ERR" "^ok +s3://$S3_BUCKET/binlogs/$SECRET_BINLOG "
rm -rf "$A"/* "$A"/.mysqlpitr-binlogs.json "$A"/.mysqlpitr-binlog-cache.json "$BACKUP_DIR"/incremental/*
sql "PURGE BINARY LOGS BEFORE NOW() + INTERVAL 1 DAY"
expect_exit 0 mps --yes restore-pitr --db shop --into shop_s --stop-datetime "$T2"
check "PITR from the bucket's encrypted base and binlogs reaches the stop time" \
  same_text "$(fingerprint shop_s | sed 's/shop_s/shop/g')" "$(sed 's/shop_s/shop/g' <<<"$FP_T2")"

echo "# a plain binlog in the bucket where its record says an encrypted one was uploaded is refused"
sql "INSERT INTO shop_s.t VALUES (-2, 'kept')"
FP_S=$(fingerprint shop_s)
aws_s3 cp --quiet "s3://$S3_BUCKET/binlogs/$SECRET_BINLOG" "$HARNESS_TMP/good-object" >/dev/null
aws_s3 cp --quiet "$HARNESS_TMP/plain-$SECRET_BINLOG" "s3://$S3_BUCKET/binlogs/$SECRET_BINLOG" >/dev/null
expect_exit 1 mps --yes restore-pitr --db shop --into shop_s --replace --stop-datetime "$T2"
check "refused, naming the object" bash -c '[[ "$1" == *"$2"*"holds no encryption header"* ]]' _ "$ERR" "binlogs/$SECRET_BINLOG"
check "the target was not touched" same_text "$(fingerprint shop_s)" "$FP_S"
expect_exit 1 mps verify
check "verify fails it against its record" contains "$OUT$ERR" "$SECRET_BINLOG"
aws_s3 cp --quiet "$HARNESS_TMP/good-object" "s3://$S3_BUCKET/binlogs/$SECRET_BINLOG" >/dev/null

harness_finish
