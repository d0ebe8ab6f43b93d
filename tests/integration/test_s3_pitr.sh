#!/usr/bin/env bash
# PITR bases and archived binlogs in the S3 repository (s3rver, the aws client as the oracle):
# backup --kind pitr-base and rotate-binlogs in mode both upload the base and each verified binlog,
# byte-identical to the local files and the server's own, with records; restore-pitr with the local
# base and archive folders emptied restores from the bucket alone to a stop time the same data as
# the live database had then, streamed (nothing is written into the local folders, by the restore
# or its --dry-run), and refuses an object doctored in the bucket before dropping anything; a binlog missing from the bucket is a gap (exit 5); a rerun uploads
# nothing again; an upload a killed run left without a record is redone; 503s on every 2nd PUT are
# retried and the objects are still whole; an unreachable bucket fails the run naming the object.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
source "$(dirname "$0")/pitr_lib.sh"
start_s3
A=$BACKUP_DIR/binlogs

S3CONFIG=$HARNESS_TMP/s3.toml
write_config "$S3CONFIG"
append_s3_config "$S3CONFIG" both
mps() { "$MYSQLPITR_BIN" -c "$S3CONFIG" "$@" </dev/null; }

sql "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(100)); INSERT INTO shop.t VALUES (1,'a');"
sql "FLUSH BINARY LOGS; INSERT INTO shop.t VALUES (2,'b'); FLUSH BINARY LOGS; INSERT INTO shop.t VALUES (3,'c');"

echo "# a PITR base in mode both, then a workload with a stop time T in it"
expect_exit 0 mps backup --kind pitr-base --db shop
B=$BACKUP_DIR/incremental/shop-back.sql
aws_s3 cp --quiet "s3://$S3_BUCKET/pitr-base/shop-back.sql" "$HARNESS_TMP/base.sql" >/dev/null
check "the base in the bucket is byte-identical to the local base" cmp -s "$B" "$HARNESS_TMP/base.sql"
check "the base's record holds its coordinates" python3 -c "
import json,subprocess,sys; r=json.loads(sys.stdin.read()); assert r['coordinates']['file'].startswith('mysql-bin.'), r" \
  < <(aws_s3 cp "s3://$S3_BUCKET/pitr-base/.mysqlpitr-records/shop-back.sql.json" - 2>/dev/null)
sql "INSERT INTO shop.t VALUES (10,'after base'); FLUSH BINARY LOGS; UPDATE shop.t SET v='x' WHERE id=1;"
sleep 1.2
T=$(sql "SELECT NOW()")
sleep 1.2
FP_T=$(fingerprint shop)
sql "INSERT INTO shop.t VALUES (11,'after T'); FLUSH BINARY LOGS; DELETE FROM shop.t WHERE id=2;"

active() { sql "SHOW MASTER STATUS" | cut -f1; }
closed_binlogs() { local now; now=$(active); sql "SHOW BINARY LOGS" | cut -f1 | grep -vx "$now"; }
DL=$HARNESS_TMP/download
mkdir -p "$DL"
# Every closed binlog, downloaded from the bucket by the aws client, equals the local archive's
# copy and the server's own file.
bucket_matches() {
  rm -rf "$DL"/*
  aws_s3 cp --recursive --quiet "s3://$S3_BUCKET/binlogs/" "$DL/" >/dev/null || return 1
  for name in $(closed_binlogs); do
    cmp -s "$DATADIR/$name" "$DL/$name" || { echo "  bucket differs from the server or misses: $name"; return 1; }
    cmp -s "$A/$name" "$DL/$name" || { echo "  bucket differs from the archive: $name"; return 1; }
    [ -s "$DL/.mysqlpitr-records/$name.json" ] || { echo "  no record: $name"; return 1; }
  done
}

echo "# rotate-binlogs in mode both"
expect_exit 0 mps rotate-binlogs --json
check "JSON says binlogs were uploaded" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); assert d['ok'] and len(d['bucket']['uploaded']) >= 3, d" "$OUT"
check "every closed binlog in the bucket is byte-identical to the archive and the server" bucket_matches
check "the record holds the size and SHA-256 of the object" python3 -c "
import json,sys,hashlib,os
name=sys.argv[2]; r=json.load(open(os.path.join(sys.argv[1],'.mysqlpitr-records',name+'.json')))
data=open(os.path.join(sys.argv[1],name),'rb').read()
assert r['size']==len(data) and r['sha256']==hashlib.sha256(data).hexdigest(), r" "$DL" "$(closed_binlogs | head -1)"

echo "# a rerun uploads nothing new"
expect_exit 0 mps rotate-binlogs --no-flush --json
check "a rerun uploads nothing and finds every binlog in the bucket" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); b=d['bucket']
assert b['uploaded']==[] and len(b['in_bucket']) >= 3, b" "$OUT"

echo "# a killed run's upload (object without record) is redone"
first=$(closed_binlogs | head -1)
aws_s3 rm --quiet "s3://$S3_BUCKET/binlogs/.mysqlpitr-records/$first.json" >/dev/null
expect_exit 0 mps list binlogs --json
check "list binlogs shows the bucket's binlogs, the one without record as unrecorded" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); b={e['name']: e for e in d['bucket']['binlogs']}
assert len(b) >= 3 and not b[sys.argv[2]]['recorded'] and all(e['recorded'] for n, e in b.items() if n != sys.argv[2]), b" "$OUT" "$first"
expect_exit 0 mps list binlogs
check "list binlogs text has a bucket section" matches "$OUT" "binlogs in s3://$S3_BUCKET/.*\(bucket\)"
expect_exit 0 mps rotate-binlogs --no-flush --json
check "the binlog without a record is uploaded again, and only it" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); assert d['bucket']['uploaded']==[sys.argv[2]], d['bucket']" "$OUT" "$first"

echo "# restore-pitr from the bucket alone (local base and archive folders emptied, the server's closed binlogs purged)"
sql "PURGE BINARY LOGS TO '$(active)'"
find "$BACKUP_DIR/incremental" "$A" -mindepth 1 -delete
# Streamed from the bucket: nothing is written into the local folders, not even hidden files.
folders_empty() {
  local left
  left=$(find "$BACKUP_DIR/incremental" "$A" -mindepth 1 ! -name '.mysqlpitr-*.lock')
  [ -z "$left" ] || { echo "  left: $left"; return 1; }
}
expect_exit 0 mps restore-pitr --dry-run --db shop --into shop_r --stop-datetime "$T"
check "the dry run plans from the bucket's base" contains "$OUT$ERR" "base:       s3://$S3_BUCKET/pitr-base/shop-back.sql"
check "the dry run plans from the bucket's binlogs" matches "$OUT$ERR" "mysql-bin\.[0-9]+ .* from bucket "
check "the dry run leaves the local folders empty" folders_empty
expect_exit 0 mps --yes restore-pitr --db shop --into shop_r --stop-datetime "$T"
check "PITR from the bucket reproduces the fingerprint at T" \
  test "$(fingerprint shop_r | sed 's/`shop_r`/shop/g; s/shop_r/shop/g')" = "$FP_T"
check "the restore leaves the local folders empty" folders_empty

echo "# a doctored object in the bucket (uploaded by the reference client, its record kept) is refused before anything is dropped"
sql "INSERT INTO shop_r.t VALUES (99,'kept')"
FP_R=$(fingerprint shop_r)
# $DL holds the bucket's binlogs as the aws client downloaded them (bucket_matches).
doctored=$(cd "$DL" && grep -l "after base" mysql-bin.* | head -1)
check "the binlog holding the row 'after base' is found ($doctored)" test -n "$doctored"
cp "$DL/$doctored" "$HARNESS_TMP/good-$doctored"
# The row's value changed and the event's CRC32 recomputed: the binlog reads as whole, only its
# record can tell.
python3 "$HARNESS_SOURCE_DIR/tests/tools/doctor_binlog.py" "$DL/$doctored" "after base" "after bXse"
aws_s3 cp --quiet "$DL/$doctored" "s3://$S3_BUCKET/binlogs/$doctored" >/dev/null
expect_exit 5 mps --yes restore-pitr --db shop --into shop_r --replace --stop-datetime "$T"
check "the doctored binlog is refused, naming it and its record" matches "$ERR" "binlogs/$doctored is not the binlog its upload recorded"
check "the target was not dropped" test "$(fingerprint shop_r)" = "$FP_R"
check "the refused restore leaves the local folders empty" folders_empty
aws_s3 cp --quiet "$HARNESS_TMP/good-$doctored" "s3://$S3_BUCKET/binlogs/$doctored" >/dev/null
cp "$HARNESS_TMP/base.sql" "$HARNESS_TMP/doctored-base.sql"
sed -i "s/(1,'a')/(1,'A')/" "$HARNESS_TMP/doctored-base.sql"
check "the base was doctored" bash -c '! cmp -s "$1" "$2"' _ "$HARNESS_TMP/base.sql" "$HARNESS_TMP/doctored-base.sql"
aws_s3 cp --quiet "$HARNESS_TMP/doctored-base.sql" "s3://$S3_BUCKET/pitr-base/shop-back.sql" >/dev/null
expect_exit 5 mps --yes restore-pitr --db shop --into shop_r --replace --stop-datetime "$T"
check "the doctored base is refused, naming it" matches "$ERR" "pitr-base/shop-back.sql is not the object its backup recorded"
check "the target was not dropped" test "$(fingerprint shop_r)" = "$FP_R"
aws_s3 cp --quiet "$HARNESS_TMP/base.sql" "s3://$S3_BUCKET/pitr-base/shop-back.sql" >/dev/null

echo "# a binlog missing from the bucket is a gap"
second=$(aws_s3 ls "s3://$S3_BUCKET/binlogs/" | awk '{print $4}' | grep "^mysql-bin\." | tail -2 | head -1)
check "a binlog after the base is in the archive to remove ($second)" test -n "$second"
aws_s3 mv --quiet "s3://$S3_BUCKET/binlogs/$second" "$HARNESS_TMP/saved-$second" >/dev/null
rm -rf "$BACKUP_DIR/incremental/"* "$A/"* "$A"/.mysqlpitr-binlogs.json
sql "DROP DATABASE shop_r"
expect_exit 5 mps --yes restore-pitr --db shop --into shop_r --stop-datetime "$(sql "SELECT NOW()")"
check "restore-pitr refuses naming the missing binlog's place" contains "$ERR" "$second"
check "nothing was restored" no_database shop_r
# Put it back (by the reference client: a file uploaded by hand, its record kept), and the local
# archive the sections below rotate into filled again from the bucket.
aws_s3 cp --quiet "$HARNESS_TMP/saved-$second" "s3://$S3_BUCKET/binlogs/$second" >/dev/null
aws_s3 cp --quiet --recursive --exclude ".mysqlpitr-records/*" "s3://$S3_BUCKET/binlogs/" "$A/" >/dev/null

echo "# local mode uploads nothing"
sql "INSERT INTO shop.t VALUES (4,'d');"
expect_exit 0 mp rotate-binlogs --json
check "mode local has no bucket part" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); assert 'bucket' not in d, d" "$OUT"

echo "# 503 on every 2nd PUT while rotating"
start_s3_fault_proxy "503:method=PUT:every=2"
FAULTY=$HARNESS_TMP/faulty.toml
write_config "$FAULTY"
append_s3_config "$FAULTY" both "$S3_PROXY_ENDPOINT"
sql "INSERT INTO shop.t VALUES (5,'e'); FLUSH BINARY LOGS; INSERT INTO shop.t VALUES (6,'f');"
expect_exit 0 "$MYSQLPITR_BIN" -c "$FAULTY" rotate-binlogs --json
check "the proxy injected 503s" test "$(proxy_faults)" -ge 1
check "the binlogs archived in local mode and the new ones are uploaded" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); assert len(d['bucket']['uploaded']) >= 2, d['bucket']" "$OUT"
check "after retries every closed binlog in the bucket is byte-identical" bucket_matches

echo "# the bucket unreachable: rotate-binlogs fails naming the object, the local copy stays"
NOWHERE=$HARNESS_TMP/nowhere.toml
write_config "$NOWHERE"
append_s3_config "$NOWHERE" both "http://127.0.0.1:9"
sql "INSERT INTO shop.t VALUES (7,'g');"
expect_exit 1 "$MYSQLPITR_BIN" -c "$NOWHERE" rotate-binlogs
check "the message names the bucket and says the local copies stay" matches "$ERR" "upload of .* failed \(the local cop(y|ies) .* stays?\)"
archive_matches_server() { for n in $(closed_binlogs); do cmp -s "$DATADIR/$n" "$A/$n" || return 1; done; }
check "the archive still matches the server" archive_matches_server

echo "# a binlog whose upload failed is uploaded by the next run, even once the server purged it"
missed=$(closed_binlogs | tail -1)
missing_from_bucket() { ! aws_s3 ls "s3://$S3_BUCKET/binlogs/$1" >/dev/null 2>&1; }
check "the failed run left $missed out of the bucket" missing_from_bucket "$missed"
sql "FLUSH BINARY LOGS; PURGE BINARY LOGS TO '$(active)'"
expect_exit 0 mps rotate-binlogs --json
check "the next run uploads the binlog the server no longer has" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); assert sys.argv[2] in d['bucket']['uploaded'], d['bucket']" "$OUT" "$missed"
rm -rf "$DL"/*
aws_s3 cp --quiet "s3://$S3_BUCKET/binlogs/$missed" "$DL/$missed" >/dev/null
check "the bucket's copy equals the archive's" cmp -s "$A/$missed" "$DL/$missed"

echo "# mode s3: a PITR base streams straight into the bucket and restores to now"
ONLY=$HARNESS_TMP/only.toml
write_config "$ONLY"
append_s3_config "$ONLY" s3
mpo() { "$MYSQLPITR_BIN" -c "$ONLY" "$@" </dev/null; }
rm -rf "$BACKUP_DIR/incremental/"*
rm -f "$BACKUP_DIR/incremental/.mysqlpitr-manifest.json"
aws_s3 cp --quiet "s3://$S3_BUCKET/pitr-base/shop-back.sql" "$HARNESS_TMP/old-base.sql" >/dev/null
expect_exit 0 mpo backup --kind pitr-base --db shop --dry-run
check "the dry run says the base streams into the bucket" contains "$OUT" "streamed straight into the bucket"
expect_exit 0 mpo backup --kind pitr-base --db shop --json
check "the report names the object, no local path" python3 -c "
import json,sys; b=json.loads(sys.argv[1])['backups'][0]
assert b['path'] is None and b['url'] == 's3://$S3_BUCKET/pitr-base/shop-back.sql', b" "$OUT"
check "nothing was written locally (no base, no manifest, no temporary file)" \
  test -z "$(find "$BACKUP_DIR/incremental" -mindepth 1 ! -name '.mysqlpitr-*.lock')"
aws_s3 cp --quiet "s3://$S3_BUCKET/pitr-base/shop-back.sql" "$HARNESS_TMP/new-base.sql" >/dev/null
check "the object replaced the older base" test "$(cmp -s "$HARNESS_TMP/old-base.sql" "$HARNESS_TMP/new-base.sql" && echo same)" = ""
check "its record holds its size, SHA-256 and coordinates" python3 -c "
import hashlib,json,sys; r=json.loads(sys.stdin.read()); data=open(sys.argv[1],'rb').read()
assert r['size']==len(data) and r['sha256']==hashlib.sha256(data).hexdigest() and r['binlog_file'].startswith('mysql-bin.'), r" \
  "$HARNESS_TMP/new-base.sql" < <(aws_s3 cp "s3://$S3_BUCKET/pitr-base/.mysqlpitr-records/shop-back.sql.json" - 2>/dev/null)
sql "INSERT INTO shop.t VALUES (20,'after the s3 base'); UPDATE shop.t SET v='y' WHERE id=3"
FP_NOW=$(fingerprint shop)
expect_exit 0 mpo rotate-binlogs
sql "DROP DATABASE IF EXISTS shop_s"
expect_exit 0 mpo --yes restore-pitr --db shop --into shop_s
check "restore-pitr from the streamed base gives the live data" same_text "$(fingerprint shop_s | sed 's/`shop_s`/shop/g; s/shop_s/shop/g')" "$FP_NOW"

echo "# mode s3: the local archive is only a spool; status and --flashback read the released binlogs"
sleep 1.1; SINCE=$(sql "SELECT NOW()"); sleep 1.1
BEFORE_MISTAKE=$(fingerprint shop)
sql "UPDATE shop.t SET v = 'oops'; FLUSH BINARY LOGS"
expect_exit 0 mpo rotate-binlogs
sql "PURGE BINARY LOGS TO '$(active)'"
# The copies the aws client put back above were never verified by rotate-binlogs, which therefore
# never releases them (nor anything newer, which would leave a hole): gone, as a retention would.
for f in $(cd "$A" && ls | grep -E '^mysql-bin\.[0-9]+$'); do
  python3 -c 'import json,sys; sys.exit(sys.argv[2] in json.load(open(sys.argv[1])).get("copies", {}))' \
    "$A/.mysqlpitr-binlogs.json" "$f" && rm "$A/$f"
done
expect_exit 0 mpo rotate-binlogs --json
check "the local copies of the binlogs the server purged are released" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); assert d['bucket']['released'], d['bucket']" "$OUT"
only_server_held() {
  local held; held=$(sql "SHOW BINARY LOGS" | cut -f1)
  for f in $(cd "$A" && ls | grep -E '^mysql-bin\.[0-9]+$'); do grep -qx "$f" <<<"$held" || { echo "  $f kept"; return 1; }; done
}
check "the local archive keeps only binlogs the server still holds" only_server_held
STATUS=$(mpo status --json 2>/dev/null) || true
check "status counts the bucket's binlogs: shop's archive is continuous" python3 -c "
import json,sys; d=[x for x in json.loads(sys.argv[1])['databases'] if x['name']=='shop'][0]
assert d['continuous'] is True, d" "$STATUS"
expect_exit 0 mpo --yes restore-pitr --flashback --db shop --since "$SINCE"
check "--flashback reads the released binlogs from the bucket and undoes the mistake" \
  same_text "$(fingerprint shop)" "$BEFORE_MISTAKE"

harness_finish
