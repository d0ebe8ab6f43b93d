#!/usr/bin/env bash
# restore-pitr refuses binlogs that do not follow one another, as `list binlogs` judges them:
# (a) an archived binlog cut cleanly at an event boundary (after a commit, before its Rotate),
#     its datadir copy purged: the replay would run on into the next file as if nothing were
#     missing. Refused with exit 5 naming the file, the database untouched; to the end, with
#     --until-binlog that file, and when only its Rotate is gone. Whole again, the restore works.
# (b) RESET MASTER after archiving: the server's new binlogs (numbering restarted) hold the latest
#     changes, and "to the end of the newest binlog" would stop at the archive's end. Refused with
#     exit 5 saying what was found and what to do; --until-binlog the archive's newest replays the
#     old history to its end.
# restore-pitr --flashback refuses both the same way (it would undo part of the range, or find
# nothing to undo in the old history while the changes are in the new one).
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --binlog-format=ROW
source "$(dirname "$0")/pitr_lib.sh"

rows() { sql "SELECT COUNT(*) FROM shop.items WHERE batch = '$1'"; }
insert_batch() {  # insert_batch NAME COUNT: one transaction per row
  for i in $(seq 1 "$2"); do echo "INSERT INTO items (batch) VALUES ('$1');"; done | sql -D shop
}

sql "CREATE DATABASE shop;
  CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, batch VARCHAR(12)) ENGINE=InnoDB;
  FLUSH BINARY LOGS; FLUSH BINARY LOGS; FLUSH BINARY LOGS;"
make_pitr_base shop
read -r BASE_FILE _ < <(master_status)
sleep 1.1; SINCE_A=$(sql 'SELECT NOW()'); sleep 1.1  # for --flashback --since: before batch a
insert_batch a 20
sql "FLUSH BINARY LOGS"
read -r NEXT_FILE _ < <(master_status)
insert_batch b 20
expect_exit 0 mp rotate-binlogs
read -r ACTIVE _ < <(master_status)
# The server's copies purged, as after an archive: the archive's are the only ones.
sql "PURGE BINARY LOGS TO '$ACTIVE'"
ARCHIVED=$BACKUP_DIR/binlogs/$BASE_FILE
check "$BASE_FILE is archived and purged from the datadir" test -f "$ARCHIVED" -a ! -e "$DATADIR/$BASE_FILE"
cp "$ARCHIVED" "$HARNESS_TMP/whole"

# Where each commit of $BASE_FILE ends (its Xid event's end_log_pos).
XID_ENDS=($(mariadb-binlog --no-defaults "$ARCHIVED" | sed -n 's/.*end_log_pos \([0-9]*\) .*Xid = .*/\1/p'))
check "$BASE_FILE holds the 20 commits of batch a (${#XID_ENDS[@]} Xid events)" test "${#XID_ENDS[@]}" -ge 20

# A marker no binlog holds: a restore that runs (drop, load, replay) loses it.
sql "SET sql_log_bin = 0; INSERT INTO shop.items (batch) VALUES ('marker')"
untouched() { has_database shop && [ "$(rows a)/$(rows b)/$(rows marker)" = "$UNTOUCHED" ]; }
UNTOUCHED=20/20/1

# (a) cut after the 10th commit of batch a: the next file starts from the 20th's GTID.
truncate -s "${XID_ENDS[9]}" "$ARCHIVED"
expect_exit 5 mp --yes restore-pitr --db shop
check "a binlog cut at a commit is refused, naming it" contains "$ERR" "binlog $BASE_FILE does not continue into $NEXT_FILE"
check "... saying its closing Rotate event is missing" contains "$ERR" "without its closing Rotate event"
check "... and where the GTIDs break" contains "$ERR" "but $NEXT_FILE starts from"
check "the refused restore leaves the database untouched (not dropped)" untouched
expect_exit 5 mp --yes restore-pitr --db shop --dry-run
check "--dry-run refuses it too" contains "$ERR" "binlog $BASE_FILE does not continue into $NEXT_FILE"
expect_exit 5 mp --yes restore-pitr --db shop --until-binlog "$BASE_FILE"
check "--until-binlog the cut file is refused: reading it 'to its end' would stop early" \
  contains "$ERR" "$BASE_FILE ends at byte ${XID_ENDS[9]}"
check "... touching nothing" untouched
sleep 1.1  # a stop time in the second of the file's last events would stop before them, rightly
expect_exit 5 mp --yes restore-pitr --db shop --stop-datetime "$(sql 'SELECT NOW()')"
check "a stop time after the cut is refused" contains "$ERR" "binlog $BASE_FILE does not continue into $NEXT_FILE"
# A flashback across the cut would undo batch b and the first half of batch a, and leave the rest.
expect_exit 5 mp --yes restore-pitr --flashback --db shop --since "$SINCE_A"
check "--flashback across the cut is refused too" contains "$ERR" "binlog $BASE_FILE does not continue into $NEXT_FILE"
check "... touching nothing" untouched

# A stop position names its point: up to the cut's end, every event before it is there.
expect_exit 0 mp --yes restore-pitr --db shop --stop-position "$BASE_FILE:${XID_ENDS[9]}" --skip-binlog
check "a stop position at the cut file's end replays what is before it" test "$(rows a)/$(rows b)" = "10/0"

UNTOUCHED=10/0/0

# Only the Rotate gone (cut at the last commit): nothing tells the cut from a lost tail.
cp "$HARNESS_TMP/whole" "$ARCHIVED"
truncate -s "${XID_ENDS[-1]}" "$ARCHIVED"
expect_exit 5 mp --yes restore-pitr --db shop
check "a binlog without its closing Rotate is refused" contains "$ERR" "$BASE_FILE ends at byte ${XID_ENDS[-1]} without its closing Rotate event"
check "... touching nothing" untouched
expect_exit 0 mp --json list binlogs
check "list binlogs reports the same gap" python3 -c 'import json,sys; g=json.loads(sys.argv[1])["gaps"]
assert [x["after"] for x in g] == [sys.argv[2]] and "closing Rotate" in g[0]["reason"], g' "$OUT" "$BASE_FILE"

# Whole again: restored to the end, every row comes back.
cp "$HARNESS_TMP/whole" "$ARCHIVED"
expect_exit 0 mp --yes restore-pitr --db shop
check "with the whole binlog the restore brings back both batches" test "$(rows a)/$(rows b)/$(rows marker)" = "20/20/0"

# (b) RESET MASTER once the old history is archived; the latest changes are in the new history.
expect_exit 0 mp rotate-binlogs
OLD_NEWEST=$(ls "$BACKUP_DIR"/binlogs/mysql-bin.0* | sort | tail -1 | xargs basename)
sql "RESET MASTER"
sleep 1.1  # the stop time below must fall after the old history's last event, not in its second
SINCE_C=$(sql 'SELECT NOW()'); sleep 1.1  # for --flashback --since: before batch c
insert_batch c 10
sql "FLUSH BINARY LOGS"
insert_batch d 5
read -r NEW_CURRENT _ < <(master_status)
check "the server's numbering restarted below the archive's ($NEW_CURRENT < $OLD_NEWEST)" \
  test "${NEW_CURRENT##*.}" -lt "${OLD_NEWEST##*.}"
expect_exit 5 mp --yes restore-pitr --db shop
check "to the end after RESET MASTER is refused, naming the server's binlog" \
  contains "$ERR" "current binlog is $NEW_CURRENT, numbered below $OLD_NEWEST"
check "... saying why" contains "$ERR" "RESET MASTER"
check "... and what to do" contains "$ERR" "--until-binlog $OLD_NEWEST"
check "... leaving the new rows in place" test "$(rows c)/$(rows d)" = "10/5"
# The old history's newest file was opened before SINCE_C too: a flashback "to now" reading it
# would find nothing to undo and say so, while batches c and d are in the new sequence.
expect_exit 5 mp --yes restore-pitr --flashback --db shop --since "$SINCE_C"
check "--flashback to now after RESET MASTER is refused, naming the server's binlog" \
  contains "$ERR" "current binlog is $NEW_CURRENT, numbered below $OLD_NEWEST"
check "... leaving the new rows in place" test "$(rows c)/$(rows d)" = "10/5"
expect_exit 5 mp --yes restore-pitr --db shop --stop-datetime "$(sql 'SELECT NOW()')"
check "a stop time after the old history's end is refused too" contains "$ERR" "RESET MASTER"
check "... touching nothing" test "$(rows c)/$(rows d)" = "10/5"
expect_exit 0 mp --yes restore-pitr --db shop --until-binlog "$OLD_NEWEST"
check "--until-binlog the archive's newest replays the old history to its end" \
  test "$(rows a)/$(rows b)/$(rows c)" = "20/20/0"

harness_finish
