#!/usr/bin/env bash
# The readers of the S3 repository beyond restores (s3rver, the aws client as the oracle): verify
# reads back every kind in the bucket (historical dumps, PITR bases, archived binlogs) against its
# record, a doctored or unrecorded object FAILs naming its URL; mode s3 with the local folders
# emptied verifies the bucket instead of exiting 5; list bases shows a base only in the bucket;
# prune applies retention in the bucket (never the newest, never a binlog a base needs, record
# removed with the object, a record left without its object removed, a rotted newest object not
# counted as the newest, a base's coordinates taken only from a record of its size) and says once that s3rver
# cannot list unfinished uploads; reads cut short by the fault proxy are resumed and verify still
# judges the objects whole; a record that is not JSON fails its object alone.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
start_s3
export MONGOC_DISABLE_SHM=1

sql "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(50)); INSERT INTO shop.t VALUES (1,'a');"
HIST=$BACKUP_DIR/historical
A=$BACKUP_DIR/binlogs
seconds='\n[backup]\ndate_format = "%%Y-%%m-%%d_%%H-%%M-%%S"\n'
BOTH=$HARNESS_TMP/both.toml; write_config "$BOTH"; printf "$seconds" >>"$BOTH"; append_s3_config "$BOTH" both
ONLY=$HARNESS_TMP/s3.toml; write_config "$ONLY"; printf "$seconds" >>"$ONLY"; append_s3_config "$ONLY" s3
# No MongoDB here: its configured folder would be an empty one for verify (exit 5).
sed -i '/^backup_dir = /d' "$BOTH" "$ONLY"
mpb() { "$MYSQLPITR_BIN" -c "$BOTH" "$@" </dev/null; }
mps() { "$MYSQLPITR_BIN" -c "$ONLY" "$@" </dev/null; }
objects() { aws_s3 ls "s3://$S3_BUCKET/$1" --recursive | awk '{print $4}' | sort; }
URL=s3://$S3_BUCKET

echo "# mode both: two historical dumps, a PITR base, archived binlogs around it"
sql "FLUSH BINARY LOGS; INSERT INTO shop.t VALUES (2,'b'); FLUSH BINARY LOGS;"
expect_exit 0 mpb rotate-binlogs
expect_exit 0 mpb backup --kind historical --db shop
OLD=$(cd "$HIST" && ls shop-back_*.sql.gz)
sleep 1.1
expect_exit 0 mpb backup --kind historical --db shop
NEW=$(cd "$HIST" && ls shop-back_*.sql.gz | grep -vx "$OLD")
expect_exit 0 mpb backup --kind pitr-base --db shop
sql "INSERT INTO shop.t VALUES (3,'c'); FLUSH BINARY LOGS; INSERT INTO shop.t VALUES (4,'d');"
expect_exit 0 mpb rotate-binlogs
BINLOGS=$(cd "$A" && ls | grep '^mysql-bin\.[0-9]*$')
FIRST=$(head -1 <<<"$BINLOGS")
BASE_FILE=$(sed -n "s/.*MASTER_LOG_FILE='\([^']*\)'.*/\1/p" "$BACKUP_DIR/incremental/shop-back.sql" | head -1)
check "the base starts after the first binlog ($FIRST < $BASE_FILE)" test "$FIRST" != "$BASE_FILE"

echo "# verify reads back every kind in the bucket"
expect_exit 0 mpb verify --json
check "verify checked both dumps, the base and every binlog in the bucket, all ok" python3 -c "
import json, sys
d = json.loads(sys.argv[1]); url = sys.argv[2]
got = {c['path']: c['ok'] for c in d['checked'] if c['path'].startswith(url)}
want = [url + '/historical/' + sys.argv[3], url + '/historical/' + sys.argv[4], url + '/pitr-base/shop-back.sql']
want += [url + '/binlogs/' + b for b in sys.argv[5].split()]
assert all(got.get(w) is True for w in want), (want, got)
assert all(c['checksum_checked'] for c in d['checked'] if c['path'].startswith(url)), d['checked']" \
  "$OUT" "$URL" "$OLD" "$NEW" "$BINLOGS"

echo "# a doctored dump, a doctored binlog and an unrecorded dump are FAILs naming the object"
gunzip -c "$HIST/$OLD" | sed 's/(1,/(9,/' | gzip >"$HARNESS_TMP/doctored.sql.gz"
aws_s3 cp --quiet "$HARNESS_TMP/doctored.sql.gz" "$URL/historical/$OLD" >/dev/null
MID=$(sed -n 2p <<<"$BINLOGS")
python3 -c "
import sys; d = bytearray(open(sys.argv[1], 'rb').read()); d[len(d) // 2] ^= 0x20; open(sys.argv[2], 'wb').write(d)" \
  "$A/$MID" "$HARNESS_TMP/$MID"
aws_s3 cp --quiet "$HARNESS_TMP/$MID" "$URL/binlogs/$MID" >/dev/null
STRAY=shop-back_2001-01-01_00-00-00.sql.gz
aws_s3 cp --quiet "$HIST/$NEW" "$URL/historical/$STRAY" >/dev/null
expect_exit 1 mpb verify
check "the doctored dump FAILs against its record, named by URL" matches "$ERR" "FAILED $URL/historical/$OLD: .*(size|SHA-256)"
check "the doctored binlog FAILs, named by URL" matches "$ERR" "FAILED .*$URL/binlogs/$MID"
check "the unrecorded dump FAILs, named by URL" matches "$ERR" "FAILED $URL/historical/$STRAY: no mysqlpitr record"
aws_s3 cp --quiet "$HIST/$OLD" "$URL/historical/$OLD" >/dev/null
aws_s3 cp --quiet "$A/$MID" "$URL/binlogs/$MID" >/dev/null

echo "# list bases: a base only in the bucket"
rm "$BACKUP_DIR/incremental/shop-back.sql"
expect_exit 0 mpb list bases
check "list bases shows the bucket's base with WHERE s3" matches "$OUT" "shop .* s3 +$URL/pitr-base/shop-back.sql"
check "with its coordinates from the record" contains "$OUT" "$BASE_FILE:"

echo "# mode s3, the local folders emptied: verify checks the bucket, not exit 5"
rm -rf "${HIST:?}"/* "${A:?}"/* "$A"/.mysqlpitr-* "$HIST"/.mysqlpitr-*
expect_exit 1 mps verify --json
check "verify in mode s3 checked the bucket's objects" python3 -c "
import json, sys
d = json.loads(sys.argv[1]); url = sys.argv[2]
ok = [c for c in d['checked'] if c['path'].startswith(url) and c['ok']]
assert len(ok) >= 5 and not d.get('nothing_to_verify'), d" "$OUT" "$URL"
check "only the unrecorded dump failed" python3 -c "
import json, sys
d = json.loads(sys.argv[1]); bad = [c['path'] for c in d['checked'] if not c['ok']]
assert bad == [sys.argv[2]], bad" "$OUT" "$URL/historical/$STRAY"

echo "# status in mode s3 with the local folders emptied: the bucket's dump and base count"
STATUS=$(mps status --json 2>/dev/null) || true
check "status sees shop's newest dump and PITR base in the bucket" python3 -c "
import json, sys
d = json.loads(sys.argv[1]); shop = [x for x in d['databases'] if x['name'] == 'shop'][0]
assert shop['dump'] and shop['base'], shop
assert not [p for p in d['problems'] if p.get('database') == 'shop' and 'no historical dump' in p['message']], d['problems']" "$STATUS"

echo "# prune in the bucket"
# A record whose object is gone, as a prune killed between the two removals leaves it.
STALE=shop-back_1999-01-01_00-00-00.sql.gz
echo '{"size": 1, "sha256": "00"}' >"$HARNESS_TMP/stale.json"
aws_s3 cp --quiet "$HARNESS_TMP/stale.json" "$URL/historical/.mysqlpitr-records/$STALE.json" >/dev/null
# A base record swapped for another one (not of this object's size): its coordinates are not
# trusted, so every binlog is kept.
aws_s3 cp --quiet "$URL/pitr-base/.mysqlpitr-records/shop-back.sql.json" "$HARNESS_TMP/base.json" >/dev/null
python3 -c "
import json, sys
r = json.load(open(sys.argv[1])); r['size'] = r.get('size', 0) + 1
r['coordinates'] = {'file': sys.argv[2], 'position': 4}; r['binlog_file'] = sys.argv[2]
json.dump(r, open(sys.argv[3], 'w'))" "$HARNESS_TMP/base.json" "$(tail -1 <<<"$BINLOGS")" "$HARNESS_TMP/swapped.json"
aws_s3 cp --quiet "$HARNESS_TMP/swapped.json" "$URL/pitr-base/.mysqlpitr-records/shop-back.sql.json" >/dev/null
expect_exit 0 mps prune --older-than 0 --what binlogs --dry-run
check "a base whose record is another's: no binlog in the bucket is to be deleted" lacks "$OUT" "delete $URL/binlogs/"
aws_s3 cp --quiet "$HARNESS_TMP/base.json" "$URL/pitr-base/.mysqlpitr-records/shop-back.sql.json" >/dev/null
expect_exit 0 mps prune --older-than 0 --what all --dry-run
check "the dry run names the older dump in the bucket" contains "$OUT" "delete $URL/historical/$OLD "
check "the dry run names the stray in the bucket" contains "$OUT" "delete $URL/historical/$STRAY "
check "the dry run keeps the newest" lacks "$OUT" "delete $URL/historical/$NEW "
check "the dry run shows the bucket's binlogs" contains "$OUT" "binlogs in $URL/binlogs"
check "the dry run names the record without its object" contains "$OUT" "delete $URL/historical/.mysqlpitr-records/$STALE.json"
check "s3rver's missing ListMultipartUploads is one warning, not a failure" \
  test "$(grep -c 'unfinished uploads not cleaned up' <<<"$ERR")" = 1
check "the dry run deleted nothing" test "$(objects historical/ | grep -c 'shop-back_')" = 6
expect_exit 0 mps --yes prune --older-than 0 --what all
LEFT=$(objects historical/)
check "the newest dump and its record stay" test "$(grep -c "$NEW" <<<"$LEFT")" = 2
check "the older dump, the stray and the older one's record are gone" \
  test -z "$(grep -e "$OLD" -e "$STRAY" <<<"$LEFT")"
check "the record without its object is gone" test -z "$(grep -F "$STALE" <<<"$LEFT")"
LEFT=$(objects binlogs/)
check "binlogs before the base are gone from the bucket with their records" test -z "$(grep -F "$FIRST" <<<"$LEFT")"
check "the binlog the base starts from stays" test "$(grep -cF "$BASE_FILE" <<<"$LEFT")" = 2
check "the base stays" test -n "$(objects pitr-base/shop-back.sql)"
expect_exit 0 mps verify
check "after prune the bucket verifies clean" matches "$OUT" "verify: [1-9][0-9]* ok, 0 failed$"

echo "# prune: a rotted newest object (same size, other bytes) is no newest to keep; the older sound one stays"
expect_exit 0 mps backup --kind historical --db shop
ROT=$(objects historical/ | grep -v mysqlpitr-records | tail -1 | sed 's|^historical/||')
check "a newer dump is in the bucket" test "$ROT" != "$NEW"
aws_s3 cp --quiet "$URL/historical/$ROT" "$HARNESS_TMP/rot.sql.gz" >/dev/null
python3 -c "
import sys; d = bytearray(open(sys.argv[1], 'rb').read()); d[len(d) // 2] ^= 0x20; open(sys.argv[1], 'wb').write(d)" \
  "$HARNESS_TMP/rot.sql.gz"
aws_s3 cp --quiet "$HARNESS_TMP/rot.sql.gz" "$URL/historical/$ROT" >/dev/null
expect_exit 0 mps --yes prune --older-than 0 --what historical
check "the rotted newest is named broken" matches "$ERR" "broken backup.*$URL/historical/$ROT"
check "the older sound dump is kept" test -n "$(objects "historical/$NEW")"

echo "# reads cut short by the proxy: resumed, and the objects still verify"
start_s3_fault_proxy "truncate:method=GET:path=mysql-bin|shop-back:every=2"
FAULTY=$HARNESS_TMP/faulty.toml; write_config "$FAULTY"; printf "$seconds" >>"$FAULTY"
sed -i '/^backup_dir = /d' "$FAULTY"; append_s3_config "$FAULTY" s3 "$S3_PROXY_ENDPOINT"
expect_exit 0 "$MYSQLPITR_BIN" -c "$FAULTY" verify
check "the proxy cut responses" test "$(proxy_faults truncate)" -ge 1
check "every object verified through the faults" matches "$OUT" "verify: [1-9][0-9]* ok, 0 failed$"

echo "# a record that is not JSON is that object's problem alone"
printf 'some dump' | aws_s3 cp - "$URL/historical/other-back_2026-01-01_00-00-00.sql.gz" >/dev/null
printf '' | aws_s3 cp - "$URL/historical/.mysqlpitr-records/other-back_2026-01-01_00-00-00.sql.gz.json" >/dev/null
expect_exit 0 mps list backups --json
check "list still lists the other backups" contains "$OUT" "$URL/historical/shop-back_"
expect_exit 1 mps verify
check "verify fails that object naming its damaged record" \
  contains "$ERR" "FAILED $URL/historical/.mysqlpitr-records/other-back_2026-01-01_00-00-00.sql.gz.json: not a mysqlpitr record"
check "... and checks the others" contains "$OUT$ERR" "ok     $URL/historical/shop-back_"
expect_exit 0 mps prune --what historical --older-than 0 --dry-run
check "prune still plans the bucket's retention" contains "$OUT$ERR" "$URL/historical/"

harness_finish
