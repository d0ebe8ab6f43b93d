#!/usr/bin/env bash
# A dump renamed over between a restore's check and its load (a backup of the same name, a copy by
# hand): restore-historical and restore-pitr read a dump twice by name, the check and then the
# load. The load opens the file first and compares it with the one checked: another file is
# refused with exit 5 and nothing is touched. strace delays the load's open so that the swap lands
# in that gap (found by a hostile pass: the swapped-in file was loaded and reported as checked).
source "$(dirname "$0")/harness.sh"
command -v strace >/dev/null || skip "strace is not installed"
harness_start_mariadb
source "$(dirname "$0")/pitr_lib.sh"

sql "CREATE DATABASE shop; CREATE TABLE shop.a (id INT PRIMARY KEY, v VARCHAR(40))"
sql -D shop "INSERT INTO a SELECT seq, CONCAT('a', seq) FROM seq_1_to_2000"
check "2000 rows to back up" test "$(sql "SELECT COUNT(*) FROM shop.a")" = 2000
expect_exit 0 mp backup --kind historical --db shop --jobs 1
DUMP=$(ls "$BACKUP_DIR"/historical/shop-back_*.sql.gz)
make_pitr_base shop
BASE=$BACKUP_DIR/incremental/shop-back.sql
# Doctored copies: three rows of 'EVIL' instead of the 2000, still whole dumps with their headers.
evil() { python3 -c '
import re, sys
text = sys.stdin.read()
text, n = re.subn(r"INSERT INTO `a` [^\n]*;", "INSERT INTO `a` VALUES (1,\x27EVIL\x27),(2,\x27EVIL\x27),(3,\x27EVIL\x27);", text)
assert n > 0, "no INSERT found"
sys.stdout.write(text)'; }
gunzip -c "$DUMP" | evil | gzip >"$HARNESS_TMP/evil.sql.gz"
evil <"$BASE" >"$HARNESS_TMP/evil-base.sql"
check "the doctored dump is a whole dump with other rows" grep -q "EVIL" <(gunzip -c "$HARNESS_TMP/evil.sql.gz")

sql "DELETE FROM shop.a WHERE id > 10"
BEFORE=$(fingerprint shop)

# opens_of FILE ARGS...: how often a dry run of the restore opens FILE (the check's reads); the
# load's open is the next one.
opens_of() {
  local file=$1; shift
  strace -f -o "$HARNESS_TMP/opens" -P "$file" -e trace=openat "$MYSQLPITR_BIN" -c "$CONFIG" "$@" --dry-run \
    </dev/null >/dev/null 2>&1
  grep -c 'openat(' "$HARNESS_TMP/opens"
}

# swapped FILE REPLACEMENT ARGS...: the restore with its load's open delayed 3 s, REPLACEMENT
# renamed over FILE meanwhile.
swapped() {
  local file=$1 replacement=$2; shift 2
  local n
  n=$(opens_of "$file" "$@")
  cp "$replacement" "$(dirname "$file")/.swap-in"
  strace -f -o /dev/null -P "$file" -e trace=openat -e inject=openat:delay_enter=3000000:when=$((n + 1)) \
    "$MYSQLPITR_BIN" -c "$CONFIG" --yes "$@" </dev/null >"$HARNESS_TMP/out" 2>"$HARNESS_TMP/err" &
  local pid=$!
  sleep 1.5
  mv "$(dirname "$file")/.swap-in" "$file"
  wait "$pid"
  echo "exit $?"
  cat "$HARNESS_TMP/err"
}

RESULT=$(swapped "$DUMP" "$HARNESS_TMP/evil.sql.gz" restore-historical "$DUMP")
check "restore-historical: a dump swapped after its check is refused with exit 5" contains "$RESULT" "exit 5"
check "... saying it was replaced and nothing was changed" contains "$RESULT" "was replaced after it was checked"
check "... and the database is as it was (no row of the other file)" same_text "$(fingerprint shop)" "$BEFORE"
check "... not one 'EVIL' row" test "$(sql "SELECT COUNT(*) FROM shop.a WHERE v = 'EVIL'")" = 0

RESULT=$(swapped "$BASE" "$HARNESS_TMP/evil-base.sql" restore-pitr --db shop --into shop_copy)
check "restore-pitr: a base swapped after its check is refused with exit 5" contains "$RESULT" "exit 5"
check "... saying it was replaced and nothing was changed" contains "$RESULT" "was replaced after its coordinates were read"
check "... and no copy was made from it" test "$(sql "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop_copy'")" = 0

harness_finish
