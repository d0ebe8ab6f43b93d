#!/usr/bin/env bash
# Findings of a hostile pass over the configured folders, each a case where a run looked fine while
# a backup was lost, altered or read from outside:
# - a prune of a MongoDB dump killed half-way left half a dump under the dump's name (listed,
#   verified and restorable as if whole: its emptied collections dropped on restore);
# - a dump whose collection lost its .bson passed verify and restored as an empty collection;
# - mongo-restore of a name inside mongo.backup_dir followed a link that list and prune skip;
# - a link in place of the state folder had every run write its job record outside;
# - with paths.pitr_base not mounted, binlog retention deleted the binlogs the bases need.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
F=$MYSQLPITR_SOURCE_DIR/../shared/fixtures/mongodump
M=$BACKUP_DIR/mongo
NOW=$(date +%s)
day() { date -d "@$((NOW - $1 * 86400))" +%Y-%m-%d_%H-%M; }
make_mongo_dump() {
  mkdir -p "$M/$1/test"
  cp "$F"/coll_with_index/test/* "$M/$1/test/"
  for i in 1 2 3 4; do
    cp "$F/coll_with_index/test/foo.bson" "$M/$1/test/c$i.bson"
    cp "$F/coll_with_index/test/foo.metadata.json" "$M/$1/test/c$i.metadata.json"
  done
  find "$M/$1" -exec touch -h -d "-$2 days" {} +
}
mkdir -p "$HARNESS_TMP/elsewhere"
echo precious >"$HARNESS_TMP/elsewhere/keep.txt"
outside() { (cd "$HARNESS_TMP/elsewhere" && find . -printf '%p %s %T@\n' | sort; md5sum keep.txt); }
BEFORE=$(outside)

echo "# a prune killed while it deletes a MongoDB dump leaves no half dump under its name"
make_mongo_dump "backup_$(day 40)" 40
make_mongo_dump "backup_$(day 1)" 1
if command -v strace >/dev/null; then
  (strace -f -o "$HARNESS_TMP/strace.log" -e trace=unlinkat -e inject=unlinkat:signal=SIGKILL:when=3 \
    "$MYSQLPITR_BIN" -c "$CONFIG" --yes prune --older-than 7 --what mongo </dev/null >/dev/null 2>&1) 2>/dev/null
  check "the prune was killed among its deletions" grep -q "killed by SIGKILL" "$HARNESS_TMP/strace.log"
  check "the old dump's name is gone: what is left of it has a temporary name" \
    test ! -e "$M/backup_$(day 40)" -a -n "$(ls -A "$M" | grep "^\.backup_$(day 40)\.partial-")"
  expect_exit 0 mp list mongo --json
  check "list shows only the whole dump" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); names=[b['path'].rsplit('/',1)[1] for b in d['backups']]
assert names==['backup_$(day 1)'], names" "$OUT"
  expect_exit 0 mp verify "$M"
  expect_exit 0 mp --yes prune --older-than 7 --what mongo
  check "the next prune removes the leftover" test -z "$(ls -A "$M" | grep partial)"
  check "and keeps the newest dump whole" test "$(ls "$M/backup_$(day 1)/test" | wc -l)" = 10
else
  skip_check "a prune killed while it deletes a MongoDB dump" "strace is not installed"
fi

echo "# a collection whose .bson is missing fails verify and is never restored empty"
make_mongo_dump "backup_$(day 2)" 2
rm "$M/backup_$(day 2)/test/c2.bson"
expect_exit 1 mp verify "$M/backup_$(day 2)"
check "verify names the collection without data" contains "$OUT$ERR" "test.c2 has no data file"
expect_exit 1 mp mongo-restore "backup_$(day 2)" --dry-run
check "mongo-restore refuses the incomplete dump, naming it" contains "$ERR" "test.c2 has no data file"

echo "# mongo-restore never follows a link inside mongo.backup_dir"
mkdir -p "$HARNESS_TMP/elsewhere/dump/test"
cp "$F"/coll_with_index/test/* "$HARNESS_TMP/elsewhere/dump/test/"
BEFORE=$(outside)
ln -s "$HARNESS_TMP/elsewhere/dump" "$M/backup_$(day 0)"
expect_exit 2 mp mongo-restore "backup_$(day 0)" --dry-run
check "the link is named as never followed" contains "$ERR" "symbolic link (never followed inside mongo.backup_dir)"
expect_exit 0 mp mongo-restore "$HARNESS_TMP/elsewhere/dump" --dry-run
check "the same folder given by its own path is the operator's choice: planned" contains "$OUT" "test.foo"
rm "$M/backup_$(day 0)"

echo "# the default state folder is never a link"
rm -rf "$BACKUP_DIR/historical/.mysqlpitr-state"
ln -s "$HARNESS_TMP/elsewhere" "$BACKUP_DIR/historical/.mysqlpitr-state"
expect_exit 0 mp --yes prune --older-than 7 --what historical
check "the run warns that its job record was not written" contains "$ERR" "job result not recorded"
check "nothing was written outside" same_text "$(outside)" "$BEFORE"
rm "$BACKUP_DIR/historical/.mysqlpitr-state"

echo "# binlog retention waits while the PITR base folder is not there"
sql "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY); INSERT INTO shop.t VALUES (1)"
expect_exit 0 mp backup --kind pitr-base --db shop
sql "FLUSH BINARY LOGS"
expect_exit 0 mp rotate-binlogs
touch -d '-30 days' "$BACKUP_DIR"/binlogs/*-bin.0*
ARCHIVED=$(ls "$BACKUP_DIR/binlogs" | grep -c -- '-bin\.0')
mv "$BACKUP_DIR/incremental" "$BACKUP_DIR/incremental.unmounted"
expect_exit 5 mp --yes prune --older-than 7 --what binlogs
check "prune refuses, asking whether the disk is mounted" contains "$ERR" "is the backup disk mounted?"
check "no archived binlog was deleted" test "$(ls "$BACKUP_DIR/binlogs" | grep -c -- '-bin\.0')" = "$ARCHIVED"
printf '\n[retention]\nbinlog_days = 7\n' >>"$CONFIG"
expect_exit 0 mp rotate-binlogs --json
check "rotate-binlogs still archives, and says its retention was skipped" \
  python3 -c "
import json,sys; d=json.loads(sys.argv[1]); assert 'mounted' in d['retention']['skipped'], d['retention']" "$OUT"
check "it warns on stderr (cron mails it)" contains "$ERR" "retention skipped"
check "still no archived binlog deleted" test "$(ls "$BACKUP_DIR/binlogs" | grep -c -- '-bin\.0')" -ge "$ARCHIVED"
mv "$BACKUP_DIR/incremental.unmounted" "$BACKUP_DIR/incremental"
expect_exit 0 mp --yes prune --older-than 7 --what binlogs
check "with the folder back, the binlogs the base needs are kept" test -n "$(ls "$BACKUP_DIR/binlogs" | grep -- '-bin\.0')"
check "nothing outside the configured folders changed" same_text "$(outside)" "$BEFORE"
harness_finish
