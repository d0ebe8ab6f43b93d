#!/usr/bin/env bash
# MongoDB dump folders in the S3 repository (s3rver, the aws client as the oracle): backup in mode
# both uploads every file of the folder and records it last; the bucket's copy restores once the
# local folder is gone, streamed from the bucket (its --dry-run and the restore write nothing
# locally, mongo.backup_dir need not exist) and a doctored object is refused before any drop; verify
# reads every object back; prune keeps the newest; mode s3 streams every file straight into the
# bucket (plain and gzip), nothing written locally; a 503 on every second request is retried.
source "$(dirname "$0")/mongo_common.sh"
[ -d "$FIXTURES" ] || skip "shared mongodump fixtures not found at $FIXTURES"
is_test_double || skip "needs the test double (byte-identical backups)"
BACKUP_DIR=$HARNESS_TMP/mongo
mongo_start "$BACKUP_DIR"
start_s3
append_s3_config "$CONFIG" both
BUCKET=s3://$S3_BUCKET/mongo

# Data with a name that needs care in a URL (space, '+', '%').
HOSTILE=$HARNESS_TMP/hostile/db9
mkdir -p "$HOSTILE"
bson_int_id 7 >"$HOSTILE/sp ace+plus%25.bson"
expect_exit 0 mp --yes mongo-restore "$FIXTURES/oplogdump"
expect_exit 0 mp --yes mongo-restore "$HARNESS_TMP/hostile"

echo "# backup in mode both"
expect_exit 0 mp backup --kind mongo --json
FOLDER=$(jq -r '.backups[0].path' <<<"$OUT")
NAME=$(basename "$FOLDER")
check "the local folder is there" test -f "$FOLDER/db1/c1.bson"
check "the report names the bucket copy" test "$(jq -r .bucket.object <<<"$OUT")" = "$BUCKET/$NAME"
aws_s3 cp --recursive "$BUCKET/$NAME" "$HARNESS_TMP/down/$NAME" >/dev/null
check "every object is byte-identical to the local files (aws s3 cp)" diff -r "$FOLDER" "$HARNESS_TMP/down/$NAME"
aws_s3 cp "$BUCKET/.mysqlpitr-records/$NAME.json" "$HARNESS_TMP/record.json" >/dev/null
check "the record lists every file" test "$(jq '.files | length' "$HARNESS_TMP/record.json")" = "$(find "$FOLDER" -type f | wc -l)"
check "the record has c1.bson's SHA-256" test "$(jq -r '.files[] | select(.path=="db1/c1.bson") | .sha256' "$HARNESS_TMP/record.json")" = \
  "$(sha256sum "$FOLDER/db1/c1.bson" | cut -d' ' -f1)"

echo "# restore from the bucket alone"
rm -rf "$FOLDER"
bson_int_id 99 >"$HARNESS_TMP/other.bson"
mkdir -p "$HARNESS_TMP/other/db1" && mv "$HARNESS_TMP/other.bson" "$HARNESS_TMP/other/db1/c1.bson"
expect_exit 0 mp --yes mongo-restore "$HARNESS_TMP/other"
expect_exit 0 mp list mongo --json
check "list shows the dump as in the bucket only" test "$(jq -r --arg n "$BUCKET/$NAME" '.backups[] | select(.path==$n) | .where' <<<"$OUT")" = s3
STATUS=$(mp status --json 2>/dev/null) || true
check "status sees db1's and db9's newest dump in the bucket" python3 -c 'import json,sys
d={x["name"]: x for x in json.loads(sys.argv[1])["databases"] if x["engine"]=="mongo"}
assert d["db1"]["dump"]["path"]==d["db9"]["dump"]["path"]==sys.argv[2], d' "$STATUS" "$BUCKET/$NAME"
# Streamed from the bucket, never downloaded: a host whose mongo.backup_dir does not exist restores
# (and plans) from the bucket alone, and nothing is written locally.
NODIR=$HARNESS_TMP/nodir.toml
sed "s#^backup_dir = .*#backup_dir = \"$HARNESS_TMP/no-such-folder\"#" "$CONFIG" >"$NODIR"
chmod 600 "$NODIR"
nodir() { "$MYSQLPITR_BIN" -c "$NODIR" "$@" </dev/null; }
local_files() { ls -A "$BACKUP_DIR" | sort; }
BEFORE=$(local_files)
expect_exit 0 nodir mongo-restore "$NAME" --dry-run --json
check "the dry run plans db1.c1 and db9 from the bucket" \
  test "$(jq -r '.backup + " " + ([.plan[].database] | unique | join(","))' <<<"$OUT")" = "$BUCKET/$NAME db1,db9"
check "the dry run writes nothing locally" test "$(local_files)" = "$BEFORE"
# A doctored object (the reference client uploads another valid BSON file under its key; the
# record stays) is refused before anything is dropped.
bson_int_id 5 | aws_s3 cp - "$BUCKET/$NAME/db1/c1.bson" >/dev/null
expect_exit 1 nodir --yes mongo-restore "$NAME"
check "the doctored object is refused, naming it" contains "$ERR" "$BUCKET/$NAME/db1/c1.bson is not the file its backup recorded"
check "the plan refused it: nothing was dropped or restored" lacks "$OUT$ERR" "collections restored"
aws_s3 cp "$HARNESS_TMP/down/$NAME/db1/c1.bson" "$BUCKET/$NAME/db1/c1.bson" >/dev/null
# The plan reads c1.bson whole; every later read of it is cut (retried, then given up): the
# collection was dropped first, and the run says what it left.
start_s3_fault_proxy "truncate:method=GET:path=db1/c1\\.bson:after=1:keep=100"
sed "s#^endpoint = .*#endpoint = \"$S3_PROXY_ENDPOINT\"#" "$NODIR" >"$HARNESS_TMP/cut.toml"
chmod 600 "$HARNESS_TMP/cut.toml"
expect_exit 4 "$MYSQLPITR_BIN" -c "$HARNESS_TMP/cut.toml" --yes mongo-restore "$NAME"
check "the reads of c1.bson were cut" test "$(proxy_faults truncate)" -ge 1
check "the failure says db1.c1 was dropped and what it holds now" \
  matches "$ERR" "db1\.c1 was dropped first and now holds only the [0-9]+ documents inserted before the failure: restore it again \(--db db1\)"
stop_s3_fault_proxy
expect_exit 0 nodir --yes mongo-restore "$NAME" --json
check "the restore put back db1.c1 and db9" test "$(jq -r '[.restored[].database] | unique | join(",")' <<<"$OUT")" = "db1,db9"
check "the restore wrote nothing locally" test "$(local_files)" = "$BEFORE"
check "no local backup folder was needed" test ! -e "$HARNESS_TMP/no-such-folder"
sleep 1
expect_exit 0 mp backup --kind mongo --json
AGAIN=$(jq -r '.backups[0].path' <<<"$OUT")
check "restored documents are the backed-up ones (db1.c1 bytes)" cmp "$HARNESS_TMP/down/$NAME/db1/c1.bson" "$AGAIN/db1/c1.bson"
check "the escaped name is in the bucket as on disk" test -f "$HARNESS_TMP/down/$NAME/db9/sp+ace+plus%25.bson"
check "restored documents are the backed-up ones (escaped name)" \
  cmp "$HARNESS_TMP/down/$NAME/db9/sp+ace+plus%25.bson" "$AGAIN/db9/sp+ace+plus%25.bson"

echo "# mode both: a local copy cut short is not what was backed up: verify fails it, the restore takes the bucket's"
cp "$AGAIN/db1/c1.bson" "$HARNESS_TMP/c1.whole"
truncate -s $(( $(stat -c %s "$AGAIN/db1/c1.bson") / 2 )) "$AGAIN/db1/c1.bson"
expect_exit 1 mp verify
check "verify fails the local folder, naming the cut file and the record" \
  contains "$ERR" "$AGAIN/db1/c1.bson holds $(stat -c %s "$AGAIN/db1/c1.bson") bytes, the dump's record in $BUCKET/$(basename "$AGAIN") says"
expect_exit 0 mp --yes mongo-restore "$(basename "$AGAIN")" --dry-run --json
check "the restore says the local copy is not what was backed up" \
  contains "$ERR" "the local copy is not what was backed up: $AGAIN/db1/c1.bson holds"
check "... and plans the bucket's copy" test "$(jq -r .backup <<<"$OUT")" = "$BUCKET/$(basename "$AGAIN")"
cp "$HARNESS_TMP/c1.whole" "$AGAIN/db1/c1.bson"

echo "# verify reads the bucket"
# Exit 5: the default paths.historical of this MongoDB-only configuration is not there.
expect_exit 5 mp verify --json
check "verify found nothing wrong" test "$(jq '[.checked[] | select(.ok == false)] | length' <<<"$OUT")" = 0
check "verify checked the bucket's dump" test "$(jq -r --arg n "$BUCKET/$NAME" '[.checked[] | select(.path==$n) | .ok] | join(",")' <<<"$OUT")" = true
printf 'tampered' | aws_s3 cp - "$BUCKET/$NAME/db1/c1.bson" >/dev/null
expect_exit 1 mp verify
check "verify names the altered object" contains "$ERR" "$BUCKET/$NAME/db1/c1.bson"

echo "# prune keeps the newest in the bucket"
expect_exit 0 mp --yes prune --what mongo --older-than 0 --json
check "the older bucket dump is gone, record first" test -z "$(aws_s3 ls --recursive "$BUCKET/" | grep "$NAME")"
check "the newest bucket dump stays" test -n "$(aws_s3 ls --recursive "$BUCKET/" | grep ".mysqlpitr-records/$(basename "$AGAIN").json")"

echo "# prune never counts a damaged dump in the bucket as the newest: the older whole one stays"
sleep 1.1
sed 's/^mode = "both"/mode = "s3"/' "$CONFIG" >"$HARNESS_TMP/s3-now.toml"
chmod 600 "$HARNESS_TMP/s3-now.toml"
expect_exit 0 "$MYSQLPITR_BIN" -c "$HARNESS_TMP/s3-now.toml" backup --kind mongo --json
DAMAGED=$(basename "$(jq -r '.backups[0].url' <<<"$OUT")")
aws_s3 rm "$BUCKET/$DAMAGED/db1/c1.bson" >/dev/null
expect_exit 0 mp --yes prune --what mongo --older-than 0 --keep-last 1
check "prune says the newest bucket dump is broken, naming the missing object" \
  contains "$ERR" "broken backup, not counted as a backup to keep: $BUCKET/$DAMAGED: $BUCKET/$DAMAGED/db1/c1.bson is missing"
check "the older whole bucket dump stays" test -n "$(aws_s3 ls --recursive "$BUCKET/" | grep ".mysqlpitr-records/$(basename "$AGAIN").json")"
expect_exit 0 mp --yes mongo-restore "$(basename "$AGAIN")" --dry-run
aws_s3 rm --recursive "$BUCKET/$DAMAGED" >/dev/null
aws_s3 rm "$BUCKET/.mysqlpitr-records/$DAMAGED.json" >/dev/null

echo "# prune removes what a killed streaming run left: a folder without a record, untouched for a day"
printf 'x' | aws_s3 cp - "$BUCKET/backup_2020-01-01_00-00-00/db1/c1.bson" >/dev/null
printf 'y' | aws_s3 cp - "$BUCKET/backup_2020-01-01_00-00-00/db1/c1.metadata.json" >/dev/null
printf 'z' | aws_s3 cp - "$BUCKET/backup_2099-01-01_00-00-00/db1/c1.bson" >/dev/null   # another host's, running
# s3rver reports a file's modification time as the object's: age the killed run's objects.
find "$S3_DIR/data" -path '*backup_2020-01-01_00-00-00*' -exec touch -d '3 days ago' {} +
expect_exit 0 mp prune --what mongo --older-than 7 --dry-run
check "the dry run names the killed run's objects" contains "$OUT$ERR" "backup_2020-01-01_00-00-00/db1/c1.metadata.json  (a MongoDB dump folder without a record"
expect_exit 0 mp --yes prune --what mongo --older-than 7
check "the unrecorded folder untouched for a day is gone" test -z "$(aws_s3 ls --recursive "$BUCKET/" | grep backup_2020-01-01)"
check "a young unrecorded folder (a run going on elsewhere) stays" test -n "$(aws_s3 ls --recursive "$BUCKET/" | grep backup_2099-01-01)"
check "the recorded dump stays" test -n "$(aws_s3 ls --recursive "$BUCKET/" | grep ".mysqlpitr-records/$(basename "$AGAIN").json")"
aws_s3 rm --recursive "$BUCKET/backup_2099-01-01_00-00-00" >/dev/null

echo "# mode s3: every file streams straight into the bucket, nothing is written locally"
S3ONLY=$HARNESS_TMP/s3only.toml
sed 's/^mode = "both"/mode = "s3"/' "$CONFIG" >"$S3ONLY"
chmod 600 "$S3ONLY"
s3only() { "$MYSQLPITR_BIN" -c "$S3ONLY" "$@" </dev/null; }
sleep 1
BEFORE=$(local_files)
expect_exit 0 s3only backup --kind mongo --db db1 --json
STREAMED=$(jq -r '.backups[0].url' <<<"$OUT")
check "the report names the bucket's folder, no local path" \
  test "$(jq -r '.backups[0].path' <<<"$OUT") $STREAMED" = "null $BUCKET/$(basename "$STREAMED")"
check "nothing was written locally" test "$(local_files)" = "$BEFORE"
rm -rf "$HARNESS_TMP/streamed" && aws_s3 cp --recursive "$STREAMED" "$HARNESS_TMP/streamed" >/dev/null
check "the objects are the files a local dump of db1 holds, byte for byte" diff -r "$AGAIN/db1" "$HARNESS_TMP/streamed/db1"
aws_s3 cp "$BUCKET/.mysqlpitr-records/$(basename "$STREAMED").json" "$HARNESS_TMP/streamed.json" >/dev/null
check "its record lists every object with its size and SHA-256" python3 -c '
import hashlib, json, os, sys
r = json.load(open(sys.argv[1])); root = sys.argv[2]
files = {f["path"]: f for f in r["files"]}
on_disk = sorted(os.path.relpath(os.path.join(d, n), root) for d, _, ns in os.walk(root) for n in ns)
assert sorted(files) == on_disk, (sorted(files), on_disk)
for path, f in files.items():
    data = open(os.path.join(root, path), "rb").read()
    assert f["size"] == len(data) and f["sha256"] == hashlib.sha256(data).hexdigest(), f' "$HARNESS_TMP/streamed.json" "$HARNESS_TMP/streamed"
sleep 1
expect_exit 0 s3only backup --kind mongo --db db1 --compression gzip --json
GZ=$(jq -r '.backups[0].url' <<<"$OUT")
rm -rf "$HARNESS_TMP/gz" && aws_s3 cp --recursive "$GZ" "$HARNESS_TMP/gz" >/dev/null
gunzip -r "$HARNESS_TMP/gz"
check "gzip objects hold the same files once gunzipped" diff -r "$AGAIN/db1" "$HARNESS_TMP/gz/db1"
expect_exit 0 s3only list mongo --json
check "list (mode s3) shows it in the bucket" \
  test "$(jq -r --arg n "$GZ" '.backups[] | select(.path==$n) | .where' <<<"$OUT")" = s3
check "list keeps newest first across local and bucket" test "$(jq -r '.backups[0].path' <<<"$OUT")" = "$GZ"
check "a dump in both places is listed once, as both" test "$(jq -r '[.backups[] | select(.where=="both")] | length' <<<"$OUT")" = 1
expect_exit 0 s3only list mongo
check "the text says where each dump is (WHERE column)" matches "$OUT$ERR" "s3 +$GZ"
check "... a dump in both places as both" matches "$OUT$ERR" "both +/"

echo "# faults: 503 on every second request"
start_s3_fault_proxy "503:every=2"
FAULTY=$HARNESS_TMP/faulty.toml
sed "s#^endpoint = .*#endpoint = \"$S3_PROXY_ENDPOINT\"#" "$CONFIG" >"$FAULTY"
chmod 600 "$FAULTY"
sleep 1
expect_exit 0 "$MYSQLPITR_BIN" -c "$FAULTY" backup --kind mongo --json
FAULTED=$(jq -r '.backups[0].path' <<<"$OUT")
check "the proxy did answer 503s" grep -q FAULT "$S3_PROXY_LOG"
aws_s3 cp --recursive "$BUCKET/$(basename "$FAULTED")" "$HARNESS_TMP/faulted" >/dev/null
check "through the faults every object is whole" diff -r "$FAULTED" "$HARNESS_TMP/faulted"
expect_exit 5 "$MYSQLPITR_BIN" -c "$FAULTY" verify --json
check "verify through the faults finds every bucket dump whole" \
  test "$(jq '[.checked[] | select(.what == "mongo dump in the bucket" and .ok)] | length' <<<"$OUT")" = 4

harness_finish
