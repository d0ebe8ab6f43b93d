#!/usr/bin/env bash
# Archived binlogs in the S3 repository (s3rver, the aws client as the oracle): rotate-binlogs in
# mode both uploads each verified binlog to binlogs/<name>, byte-identical to the local archive and
# to the server's own file, with a record; a rerun uploads nothing again; a binlog whose upload a
# killed run left without a record is uploaded again; 503s on every 2nd PUT are retried and the
# objects are still whole.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
start_s3
A=$BACKUP_DIR/binlogs

S3CONFIG=$HARNESS_TMP/s3.toml
write_config "$S3CONFIG"
append_s3_config "$S3CONFIG" both
mps() { "$MYSQLPITR_BIN" -c "$S3CONFIG" "$@" </dev/null; }

sql "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(100)); INSERT INTO shop.t VALUES (1,'a');"
sql "FLUSH BINARY LOGS; INSERT INTO shop.t VALUES (2,'b'); FLUSH BINARY LOGS; INSERT INTO shop.t VALUES (3,'c');"

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
expect_exit 0 mps rotate-binlogs --no-flush --json
check "the binlog without a record is uploaded again, and only it" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); assert d['bucket']['uploaded']==[sys.argv[2]], d['bucket']" "$OUT" "$first"

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
check "the message names the binlog and says the local copy stays" matches "$ERR" "upload of .* failed \(the local copy .* stays\)"
archive_matches_server() { for n in $(closed_binlogs); do cmp -s "$DATADIR/$n" "$A/$n" || return 1; done; }
check "the archive still matches the server" archive_matches_server

harness_finish
