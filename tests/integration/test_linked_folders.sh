#!/usr/bin/env bash
# Configured folders that are symbolic links to folders elsewhere (a backup disk mounted under
# another path, a share linked into /var/backups) work as the folders themselves: backup, list,
# verify, rotate-binlogs, prune and the restores. Links *inside* them are still never followed.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
sql "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(20));
     INSERT INTO shop.t VALUES (1,'a'),(2,'b')"

MOUNT=$HARNESS_TMP/mnt
for kind in historical incremental binlogs mongo; do
  mkdir -p "$MOUNT/$kind"
  rmdir "$BACKUP_DIR/$kind"
  ln -s "$MOUNT/$kind" "$BACKUP_DIR/$kind"
done

echo "# writers"
expect_exit 0 mp backup --kind historical --db shop
check "the historical dump landed behind the link" test -n "$(ls "$MOUNT/historical/" | grep '^shop-back_.*\.sql\.gz$')"
expect_exit 0 mp backup --kind pitr-base --db shop
check "the PITR base landed behind the link" test -s "$MOUNT/incremental/shop-back.sql"
sql "INSERT INTO shop.t VALUES (3,'c'); FLUSH BINARY LOGS"
expect_exit 0 mp rotate-binlogs
check "closed binlogs were archived behind the link" test -n "$(ls "$MOUNT/binlogs/" | grep -- '-bin\.[0-9]*$')"
expect_exit 0 mp rotate-binlogs --no-flush --json
check "a second rotation copies nothing: it verifies from the record the first wrote behind the link" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); kept=[b for b in d['binlogs'] if b['action']=='keep']
assert d['copied']==[] and d['whole'] and len(kept)>=2 and len(kept)==len(d['binlogs'])-1, d" "$OUT"

echo "# readers"
expect_exit 0 mp list backups --json
check "list finds the dump behind the link" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); kinds=sorted(b['kind'] for b in d['backups'])
assert kinds==['historical'], kinds" "$OUT"
expect_exit 0 mp list bases --json
check "list bases finds the base behind the link, with its coordinates" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); b=d['bases']
assert len(b)==1 and b[0]['coordinates']['file'].startswith('mysql-bin.'), b" "$OUT"
expect_exit 0 mp verify "$BACKUP_DIR/historical"
expect_exit 0 mp verify "$BACKUP_DIR/binlogs"

expect_exit 0 mp verify "$BACKUP_DIR/incremental"
expect_exit 5 mp verify
check "verify of the configured (linked) folders checked the dumps and the binlogs; only the empty mongo folder has nothing" \
  matches "$OUT" "^verify: [1-9][0-9]* ok, 0 failed, 1 with nothing to verify"
check "the one with nothing is the MongoDB folder" matches "$ERR" "NOTHING TO VERIFY .*/mongo \\(mongo.backup_dir\\)"
expect_exit 0 mp check
check "check finds the linked folders usable" lacks "$OUT" "FAIL"
expect_exit 0 mp --yes restore-pitr --db shop --into shop_p
check "restore-pitr from the linked folders replays the third row" test "$(sql "SELECT COUNT(*) FROM shop_p.t")" = 3
sql "DROP DATABASE shop"
expect_exit 0 mp --yes restore-historical --db shop
check "restore-historical from the linked folder brings back the two rows" test "$(sql "SELECT COUNT(*) FROM shop.t")" = 2

echo "# links inside a linked folder are still never followed"
mkdir -p "$HARNESS_TMP/elsewhere"
echo "not a dump" | gzip >"$HARNESS_TMP/elsewhere/target.sql.gz"
OLD=$(date -d '-90 days' +%Y-%m-%d_%H-%M) NEW=$(date +%Y-%m-%d_%H-%M)
ln -s "$HARNESS_TMP/elsewhere/target.sql.gz" "$MOUNT/historical/link-back_$OLD.sql.gz"
expect_exit 0 mp list backups
check "list reports the inner link as skipped" contains "$ERR" "symbolic link"
mkdir -p "$MOUNT/mongo/backup_$OLD/db" "$MOUNT/mongo/backup_$NEW/db"
echo x >"$MOUNT/mongo/backup_$OLD/db/c.bson"
ln -s "$HARNESS_TMP/elsewhere/target.sql.gz" "$MOUNT/mongo/backup_$OLD/db/link.bson"
expect_exit 0 mp --yes prune --older-than 7 --what mongo
check "prune removed the old MongoDB dump behind the linked backup_dir" test ! -e "$MOUNT/mongo/backup_$OLD"
check "and kept the newest" test -d "$MOUNT/mongo/backup_$NEW"
check "the link inside it went as a link: its target is untouched" test -s "$HARNESS_TMP/elsewhere/target.sql.gz"
expect_exit 0 mp --yes prune --older-than 7 --what historical
check "prune never deletes through the inner link" test -L "$MOUNT/historical/link-back_$OLD.sql.gz" -a \
  -s "$HARNESS_TMP/elsewhere/target.sql.gz"
check "the configured links themselves are still links" test -L "$BACKUP_DIR/historical" -a -L "$BACKUP_DIR/mongo"
harness_finish
