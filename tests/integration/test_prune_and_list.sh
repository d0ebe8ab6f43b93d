#!/usr/bin/env bash
# prune and list on folders laid out as the old scripts left them: old and new dumps of several
# databases, names that only look like dumps, and a symbolic link to a file elsewhere.
source "$(dirname "$0")/harness.sh"

SOCKET=$HARNESS_TMP/none.sock
BACKUP_DIR=$HARNESS_TMP/backup
CONFIG=$HARNESS_TMP/mysqlpitr.toml
H=$BACKUP_DIR/historical
mkdir -p "$H" "$BACKUP_DIR/mongo" "$HARNESS_TMP/elsewhere"
write_config "$CONFIG"

# One reference time, so that names made and names checked agree even across a minute boundary.
NOW=$(date +%s)
day() { date -d "@$((NOW - $1 * 86400))" +%Y-%m-%d_%H-%M; }
make_dump() { echo "dump $1" | gzip >"$H/$1"; }
make_dump "shop-back_$(day 1).sql.gz"
make_dump "shop-back_$(day 10).sql.gz"
make_dump "shop-back_$(day 20).sql.gz"
make_dump "crm-back_$(day 30).sql.gz"       # crm's newest: kept however old
make_dump "crm-back_$(day 40).sql.gz"
make_dump "back-no-data_$(day 2).sql.gz"
make_dump "back-no-data_$(day 15).sql.gz"
make_dump "my-shop-back_$(day 50).sql.gz"   # only dump of my-shop: kept
# Look-alikes that are not backups: never touched.
make_dump "shop-back_$(day 60).sql.gz.bak"
make_dump "notes-$(day 60).sql.gz"
echo base >"$H/shop-back.sql"
touch -d '-90 days' "$H"/*
# A link that matches the pattern, pointing to an old file elsewhere: never followed, never deleted.
make_dump "../../elsewhere/target-back_$(day 90).sql.gz"
ln -s "$HARNESS_TMP/elsewhere/target-back_$(day 90).sql.gz" "$H/link-back_$(day 80).sql.gz"
# A dump whose name has no parsable date: its modification time counts.
make_dump "shop-back_manual.sql.gz"
touch -d '-100 days' "$H/shop-back_manual.sql.gz"
mkdir -p "$BACKUP_DIR/mongo/backup_$(day 40)/db" "$BACKUP_DIR/mongo/backup_$(day 1)/db"
echo x >"$BACKUP_DIR/mongo/backup_$(day 40)/db/c.bson"

expect_exit 0 mp list backups --json
check "list backups reports newest first with the database before -back_" \
  python3 -c "
import json,sys
d=json.loads(sys.argv[1]); b=d['backups']
assert d['ok'] is True and d['exit_code']==0
times=[x['time'] for x in b]; assert times==sorted(times, reverse=True), times
names=[x['path'].rsplit('/',1)[1] for x in b]
assert 'shop-back_$(day 1).sql.gz' == names[0], names
assert any(x['database']=='my-shop' for x in b)
assert not any('link-back' in n or '.bak' in n or 'notes' in n for n in names), names
assert any(x['kind']=='schema' for x in b)
" "$OUT"
check "list warns about the symbolic link it skipped" contains "$ERR" "symbolic link"

before=$(ls -l "$H" | md5sum)
expect_exit 3 mp prune --older-than 7
check "without a terminal and without --yes prune deletes nothing" test "$before" = "$(ls -l "$H" | md5sum)"

expect_exit 0 mp prune --older-than 7 --dry-run
check "dry run deletes nothing" test "$before" = "$(ls -l "$H" | md5sum)"
check "dry run shows the plan" contains "$OUT" "shop-back_$(day 10).sql.gz"

expect_exit 0 mp --yes prune --older-than 7 --json
for gone in "shop-back_$(day 10).sql.gz" "shop-back_$(day 20).sql.gz" "crm-back_$(day 40).sql.gz" "shop-back_manual.sql.gz"; do
  check "deleted old dump $gone" test ! -e "$H/$gone"
done
for kept in "shop-back_$(day 1).sql.gz" "crm-back_$(day 30).sql.gz" "my-shop-back_$(day 50).sql.gz" \
  "shop-back_$(day 60).sql.gz.bak" "notes-$(day 60).sql.gz" "shop-back.sql" \
  "back-no-data_$(day 2).sql.gz" "back-no-data_$(day 15).sql.gz"; do
  check "kept $kept" test -e "$H/$kept"
done
check "the symbolic link is still there" test -L "$H/link-back_$(day 80).sql.gz"
check "its target elsewhere is untouched" test -e "$HARNESS_TMP/elsewhere/target-back_$(day 90).sql.gz"
check "JSON lists exactly four deletions" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); assert len(d['deleted'])==4, d['deleted']" "$OUT"

# What killed runs left (temporary names no backup pattern matches) goes with the prune of its kind.
echo partial >"$H/.back-no-data_$(day 0).sql.gz.partial-Ab12Cd"
echo partial >"$H/.shop-back_$(day 0).sql.gz.partial-Ef34Gh"
mkdir -p "$BACKUP_DIR/mongo/.backup_$(day 0).partial/db"
expect_exit 0 mp --yes prune --older-than 7 --what schema
check "old schema dump deleted, newest kept" test ! -e "$H/back-no-data_$(day 15).sql.gz" -a -e "$H/back-no-data_$(day 2).sql.gz"
check "a schema dump's leftover temporary file is deleted" test ! -e "$H/.back-no-data_$(day 0).sql.gz.partial-Ab12Cd"
check "the plan says why" contains "$OUT$ERR" "left by an interrupted run"
check "a historical leftover is not the schema prune's to delete" test -e "$H/.shop-back_$(day 0).sql.gz.partial-Ef34Gh"

expect_exit 0 mp --yes prune --older-than 7 --what mongo
check "old mongo folder deleted" test ! -e "$BACKUP_DIR/mongo/backup_$(day 40)"
check "newest mongo folder kept" test -d "$BACKUP_DIR/mongo/backup_$(day 1)"
check "a MongoDB dump's leftover partial folder is deleted" test ! -e "$BACKUP_DIR/mongo/.backup_$(day 0).partial"

# A dry run takes no lock: while a historical backup runs, its temporary files are its work.
exec 9>"$H/.mysqlpitr-historical.lock"
flock -n 9
expect_exit 0 mp prune --older-than 7 --what historical --dry-run
check "a dry run beside a running backup does not call its temporary file a leftover" \
  bash -c "! grep -q Ef34Gh <<<\"\$1\"" _ "$OUT$ERR"
exec 9>&-
expect_exit 0 mp prune --older-than 7 --what historical --dry-run
check "with no backup running, the dry run lists it as left by an interrupted run" contains "$OUT" "Ef34Gh"

# A second run while the lock is held (by flock from the shell) is refused with exit 5.
exec 9>"$H/.mysqlpitr-historical.lock"
flock -n 9
expect_exit 5 mp --yes prune --older-than 0 --keep-last 0
check "the lock error says who holds it" contains "$ERR" "lock"
exec 9>&-

expect_exit 2 mp prune --older-than x
expect_exit 2 mp prune
harness_finish
