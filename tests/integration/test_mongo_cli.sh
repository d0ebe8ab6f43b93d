#!/usr/bin/env bash
# mongo-restore and backup --kind mongo through the binary: real mongodump folders restored into
# the test double, backed up again and compared byte for byte with mongodump's own files.
source "$(dirname "$0")/mongo_common.sh"
[ -d "$FIXTURES" ] || skip "shared mongodump fixtures not found at $FIXTURES"
BACKUP_DIR=$HARNESS_TMP/mongo
mongo_start "$BACKUP_DIR"

# The dry-run plan needs no server and has the fixed JSON shape of CLI.md.
expect_exit 0 mp mongo-restore "$FIXTURES/oplogdump" --dry-run --json
check "dry-run plan lists db1.c1 with its 5 documents, 1 index, drop" \
  test "$(jq -c '.plan | map({database, collection, documents, indexes, drop})' <<<"$OUT")" = \
  '[{"database":"db1","collection":"c1","documents":5,"indexes":1,"drop":true}]'
check "the plan leaves admin out of a total restore" test "$(jq -r '.databases | join(",")' <<<"$OUT")" = db1
check "oplog.bson is reported as ignored" contains "$(jq -r '.ignored[].path' <<<"$OUT")" oplog.bson

# Destructive without a terminal and without --yes: exit 3, nothing done.
expect_exit 3 mp mongo-restore "$FIXTURES/oplogdump"
# A database that is not in the folder: usage error naming what is there.
expect_exit 2 mp mongo-restore "$FIXTURES/oplogdump" --db nope --dry-run
check "the error lists the folder's databases" contains "$ERR" "admin, db1"
# A folder with a bad metadata file: refused before anything is dropped, naming the file.
expect_exit 1 mp mongo-restore "$FIXTURES/testdirs" --db db1 --dry-run
check "the bad metadata file is named" contains "$ERR" "c3.metadata.json"

# prelude_gzip and coll_with_index both hold test.foo: the second replaces the first (drop).
for fixture in oplogdump prelude_test/prelude_gzip coll_with_index indexmetadata; do
  expect_exit 0 mp --yes mongo-restore "$FIXTURES/$fixture" --json
done

expect_exit 0 mp backup --kind mongo --json
FOLDER=$(jq -r '.backups[0].path' <<<"$OUT")
check "the backup folder is named backup_<date>" matches "$(basename "$FOLDER")" '^backup_[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{2}-[0-9]{2}-[0-9]{2}$'
check "no partial folder is left" test -z "$(ls -A "$BACKUP_DIR" | grep -v '^backup_' | grep -v '^.mysqlpitr-mongo.lock$')"
check "admin is not in a backup unless named" test ! -e "$FOLDER/admin"
check "metadata keeps the collection name" test "$(jq -r .collectionName "$FOLDER/db1/c1.metadata.json")" = c1
check "metadata keeps the f_1 index" test "$(jq -r '.indexes[1].name' "$FOLDER/test/foo.metadata.json")" = f_1
check "the decimal index key survives" test "$(jq -c '.indexes[1].key.c' "$FOLDER/indextest/test_coll_no_index_ns.metadata.json")" = '{"$numberDecimal":"-1"}'
if is_test_double; then
  check "db1.c1.bson is byte for byte mongodump's file" cmp "$FIXTURES/oplogdump/db1/c1.bson" "$FOLDER/db1/c1.bson"
  check "indextest data is byte for byte mongodump's file" \
    cmp "$FIXTURES/indexmetadata/indextest/test_coll_no_index_ns.bson" "$FOLDER/indextest/test_coll_no_index_ns.bson"
fi

expect_exit 0 mp verify "$FOLDER" --json
check "verify accepts the mongo folder" test "$(jq -r '[.. | objects | select(.what? == "mongo dump")] | length' <<<"$OUT")" -ge 1

sleep 1
expect_exit 0 mp backup --kind mongo --gzip --db db1 --json
GZ=$(jq -r '.backups[0].path' <<<"$OUT")
check "--gzip writes .bson.gz" test -f "$GZ/db1/c1.bson.gz"
check "the gzip data is the same documents" cmp <(gzip -dc "$GZ/db1/c1.bson.gz") "$FOLDER/db1/c1.bson"
check "--db limits the backup" test "$(ls "$GZ")" = db1

# Partial restore of the gzip backup after dropping the data, then a third backup: same bytes.
expect_exit 0 mp --yes mongo-restore "$(basename "$GZ")" --db db1 --json
check "the restore names the backup given by name" test "$(jq -r .backup <<<"$OUT")" = "$GZ"
check "the partial restore touched only db1" test "$(jq -r '[.restored[].database] | unique | join(",")' <<<"$OUT")" = db1
sleep 1
expect_exit 0 mp backup --kind mongo --db db1 --json
AGAIN=$(jq -r '.backups[0].path' <<<"$OUT")
check "backup -> restore -> backup gives the same bytes" cmp "$FOLDER/db1/c1.bson" "$AGAIN/db1/c1.bson"

expect_exit 0 mp list mongo --json
check "list mongo shows the three backups" test "$(jq '.backups | length' <<<"$OUT")" = 3

# A mongo backup or prune holding the folder's lock: mongo-restore refuses before it reads the dump
# or drops anything (a prune could otherwise delete the dump between the plan and the restore).
exec 9>"$BACKUP_DIR/.mysqlpitr-mongo.lock"
flock -n 9
expect_exit 5 mp --yes mongo-restore "$(basename "$GZ")" --db db1
check "mongo-restore beside a run holding the mongo lock is refused, naming it" contains "$ERR" ".mysqlpitr-mongo.lock"
exec 9>&-
sleep 1
expect_exit 0 mp backup --kind mongo --db db1 --json
check "the refused restore dropped nothing" cmp "$FOLDER/db1/c1.bson" "$(jq -r '.backups[0].path' <<<"$OUT")/db1/c1.bson"

if is_test_double; then
  # A collection whose reading fails (the double's injected fault): the backup fails and leaves
  # neither a backup_* folder nor its hidden partial folder.
  BROKEN=$HARNESS_TMP/broken/db9
  mkdir -p "$BROKEN"
  bson_int_id 1 >"$BROKEN/fail_on_find_x.bson"
  expect_exit 0 mp --yes mongo-restore "$HARNESS_TMP/broken"
  before=$(ls "$BACKUP_DIR" | sort)
  sleep 1
  expect_exit 1 mp backup --kind mongo --db db9
  check "the failure names the collection" contains "$ERR" "db9.fail_on_find_x"
  check "a failed backup leaves nothing behind" test "$(ls "$BACKUP_DIR" | sort)" = "$before"
  check "and no hidden partial folder" test -z "$(ls -A "$BACKUP_DIR" | grep partial)"
fi

harness_finish
