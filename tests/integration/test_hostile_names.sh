#!/usr/bin/env bash
# Databases whose names are not safe file names ("../../x", ".hidden", "a/b", a real tab, quotes,
# '%', a space, "-back_" inside, 64 characters of '/' and '%') are backed up, listed, restored and
# pruned under reversibly %-encoded file names, and nothing is ever written outside the configured
# folders. A dump whose file name says one database but whose content is another is refused before
# anything is dropped.
#
# The backup folders live three levels deep in a throwaway root inside the test's temporary folder,
# so that a binary which does follow "../../x" writes only there, where this test looks for it.
source "$(dirname "$0")/harness.sh"
command -v mysqldump >/dev/null || skip "mysqldump not installed"
harness_start_mariadb

ROOT=$HARNESS_TMP/root
BACKUP_DIR=$ROOT/l1/l2/backup
mkdir -p "$BACKUP_DIR/historical" "$BACKUP_DIR/incremental" "$BACKUP_DIR/binlogs" "$BACKUP_DIR/mongo"
write_config "$CONFIG"
HIST=$BACKUP_DIR/historical
INC=$BACKUP_DIR/incremental

# 64 characters, the longest name the server allows (it stores each '/' and '%' as 5 bytes itself).
LONG=$(printf '/%%%.0s' $(seq 1 22))abcdefghijklmnopqrst
NAMES=('../../x' '.hidden' 'a/b' $'tab\tname' "x'; DROP DATABASE y; --" 'per%cent' 'sp ace' 'has-back_in-it' "$LONG")

qi() { printf '`%s`' "${1//\`/\`\`}"; }
qs() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\'\'}"; }
# CHECKSUM TABLE of the database's table t (the last field: a name with a tab has more than two).
checksum() { sql "CHECKSUM TABLE $(qi "$1").t EXTENDED" | awk -F'\t' '{print $NF}'; }
rows() { sql "SELECT COUNT(*) FROM $(qi "$1").t"; }

sql "CREATE DATABASE y; CREATE TABLE y.t (id INT PRIMARY KEY); INSERT INTO y.t VALUES (1), (2), (3)"
declare -A SUM
for name in "${NAMES[@]}"; do
  sql "CREATE DATABASE $(qi "$name");
       CREATE TABLE $(qi "$name").t (id INT PRIMARY KEY, v VARCHAR(200)) ENGINE=InnoDB;
       INSERT INTO $(qi "$name").t VALUES (1, $(qs "$name")), (2, 'two'), (3, REPEAT('x', 150));"
  SUM[$name]=$(checksum "$name")
done

# --- backups write only inside the configured folders --------------------------------------------
expect_exit 0 mp backup --kind historical
expect_exit 0 mp backup --kind pitr-base
# Every entry of the root must be a folder of the configuration or a file directly inside one (or
# a job's result in the state folder, whose names are fixed: commands/job_results.hpp).
stray=$(cd "$ROOT" && find . -mindepth 1 | grep -v -x -E '\./l1|\./l1/l2|\./l1/l2/backup(/(historical|incremental|binlogs|mongo))?' |
  grep -v -E '^\./l1/l2/backup/(historical|incremental)/[^/]+$' |
  grep -v -x -E '\./l1/l2/backup/historical/\.mysqlpitr-state/job-backup-(historical|pitr-base)\.json')
check "nothing was written outside the configured folders (${stray:-none})" test -z "$stray"
check "no file of a hostile name is hidden (a leading dot) in the folders" \
  test -z "$(find "$HIST" "$INC" -name '.*' ! -name '.mysqlpitr-*')"
check "../../x is written as %2E.%2F..%2Fx-back_<date>.sql.gz" \
  test -n "$(find "$HIST" -maxdepth 1 -name '%2E.%2F..%2Fx-back_*.sql.gz')"
check "per%cent is written with % encoded: per%25cent-back.sql" test -f "$INC/per%25cent-back.sql"
check "ordinary names stay as the old scripts wrote them: sp ace-back.sql" test -f "$INC/sp ace-back.sql"
check "-back_ inside a name is kept: has-back_in-it-back.sql" test -f "$INC/has-back_in-it-back.sql"
check "one historical dump per database (and y)" \
  test "$(find "$HIST" -maxdepth 1 -name '*-back_*.sql.gz' | wc -l)" = $((${#NAMES[@]} + 1))

# --- list shows the real names -------------------------------------------------------------------
names_json() { printf '%s\n' "${NAMES[@]}" | python3 -c 'import json,sys; print(json.dumps(sorted(sys.stdin.read().split("\n")[:-1] + ["y"])))'; }
# A name with a tab or a newline cannot go through read -r lines: compare as JSON.
want=$(names_json)
got=$(mp --json list backups 2>/dev/null | python3 -c 'import json,sys; print(json.dumps(sorted(b["database"] for b in json.load(sys.stdin)["backups"] if b["kind"] == "historical")))')
check "list backups --json gives every real database name" test "$got" = "$want"
got=$(mp --json list bases 2>/dev/null | python3 -c 'import json,sys; print(json.dumps(sorted(b["database"] for b in json.load(sys.stdin)["bases"])))')
check "list bases --json gives every real database name" test "$got" = "$want"
text=$(mp list backups 2>&1)
check "list backups shows a tab in a name escaped, not raw" contains "$text" 'tab\tname'

# --- restore-pitr finds a hostile name's base -----------------------------------------------------
declare -A BASE=(['../../x']='%2E.%2F..%2Fx-back.sql' ['a/b']='a%2Fb-back.sql')
for name in '../../x' 'a/b'; do
  sql "INSERT INTO $(qi "$name").t VALUES (10, 'after the base')"
  expect_exit 0 mp --yes restore-pitr --db "$name"
  check "restore-pitr --db '$name' loads its base $INC/${BASE[$name]}" contains "$ERR$OUT" "$INC/${BASE[$name]}"
  check "restore-pitr --db '$name' finds its base and replays to the end" test "$(rows "$name")" = 4
done

# --- each database restores from its own dump ----------------------------------------------------
for name in "${NAMES[@]}"; do
  sql "DELETE FROM $(qi "$name").t WHERE id = 2; INSERT INTO $(qi "$name").t VALUES (9, 'after the backup')"
  expect_exit 0 mp --yes restore-historical --db "$name"
  check "restore-historical --db '$name': CHECKSUM TABLE as at the backup" test "$(checksum "$name")" = "${SUM[$name]}"
done
check "y still exists with its rows (names are never SQL)" test "$(rows y)" = 3

# --- prune ---------------------------------------------------------------------------------------
# An older copy of every database's dump, dated 2020 in its name: prune deletes exactly those.
while IFS= read -r -d '' file; do
  old=${file%-back_*}-back_2020-01-01_00-00.sql.gz
  cp "$file" "$old"
  touch -d 2020-01-01 "$old"
done < <(find "$HIST" -maxdepth 1 -name '*-back_*.sql.gz' -print0)
expect_exit 0 mp --yes prune --older-than 30 --what historical
check "prune deleted every old copy" test -z "$(find "$HIST" -name '*-back_2020-01-01_00-00.sql.gz')"
check "prune kept the newest dump of every database" \
  test "$(find "$HIST" -maxdepth 1 -name '*-back_*.sql.gz' | wc -l)" = $((${#NAMES[@]} + 1))

# --- a file named for one database but holding another -------------------------------------------
sql "CREATE DATABASE a; CREATE TABLE a.t (id INT PRIMARY KEY); INSERT INTO a.t VALUES (1);
     CREATE DATABASE b; CREATE TABLE b.t (id INT PRIMARY KEY); INSERT INTO b.t VALUES (1), (2)"
mysqldump --no-defaults -S "$SOCKET" -uroot --databases b --add-drop-database | gzip >"$HIST/a-back_2030-01-01_00-00.sql.gz"
sql "INSERT INTO b.t VALUES (3)"
b_before=$(checksum b)
expect_exit 5 mp --yes restore-historical --db a
check "--db a with b's content: the error names both" matches "$ERR" 'database b, not a'
check "--db a with b's content: b untouched" test "$(checksum b)" = "$b_before"
check "--db a with b's content: a untouched" test "$(rows a)" = 1
expect_exit 5 mp --yes restore-historical "$HIST/a-back_2030-01-01_00-00.sql.gz"
check "FILE named for a holding b: b untouched" test "$(checksum b)" = "$b_before"
expect_exit 5 mp restore-historical --db a --dry-run
# restore-pitr: the check is in the plan, so --dry-run and the confirmation see it.
mysqldump --no-defaults -S "$SOCKET" -uroot --databases b --master-data=2 >"$INC/a-back.sql"
expect_exit 5 mp restore-pitr --db a --dry-run
check "restore-pitr --dry-run: a base of b for a is refused in the plan" matches "$ERR" 'database b, not a'
expect_exit 5 mp restore-pitr --db a
check "restore-pitr: b untouched" test "$(checksum b)" = "$b_before"

harness_finish
