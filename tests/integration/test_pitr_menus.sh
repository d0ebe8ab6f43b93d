#!/usr/bin/env bash
# restore-pitr's terminal menus, driven through a pseudo-terminal: without --db it offers the
# databases that have a PITR base, then which tables (empty: all), then the binlogs with their first and last event times
# (choosing one replays it and every earlier one), then an optional stop time, then asks SI. Each
# path is checked end to end with the fingerprint (one path restores one table, asked after the
# database); an invalid number is asked again; anything but
# SI changes nothing. Without a terminal a missing --db is a usage error (exit 2) and nothing is
# asked.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --binlog-format=MIXED
source "$(dirname "$0")/pitr_lib.sh"
DIALOG="$(dirname "$0")/pty_dialog.py"
# Every binlog of the test is listed whatever the time of day.
printf '\n[pitr]\nday_start = "00:00:00"\n' >>"$CONFIG"

sql "CREATE DATABASE shop; CREATE DATABASE other;
  CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2)) ENGINE=InnoDB;
  CREATE TABLE other.log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(60)) ENGINE=InnoDB;
  INSERT INTO shop.items (name, price) VALUES ('seed', 1); INSERT INTO other.log (msg) VALUES ('seed');
  FLUSH BINARY LOGS;"
make_pitr_base shop
make_pitr_base other
sql "FLUSH BINARY LOGS"
for i in $(seq 1 10); do echo "INSERT INTO shop.items (name, price) VALUES ('one $i', $i);"; done | sql
F1=$(master_status | cut -f1)
FP_F1=$(fingerprint shop)
sql "FLUSH BINARY LOGS"
sql "UPDATE shop.items SET price = price * 3 WHERE id % 2 = 1; INSERT INTO other.log (msg) VALUES ('two')"
sleep 1.1
T=$(sql "SELECT NOW()")
sleep 1.1
FP_T=$(fingerprint shop)
sql "DELETE FROM shop.items WHERE id > 5; FLUSH BINARY LOGS"

# dialog NAME 'REGEX<TAB>ANSWER'...: runs restore-pitr without --db on a terminal.
dialog() {
  local name=$1; shift
  printf '%s\n' "$@" >"$HARNESS_TMP/$name.steps"
  python3 "$DIALOG" "$HARNESS_TMP/$name.txt" "$HARNESS_TMP/$name.steps" -- \
    "$MYSQLPITR_BIN" -c "$CONFIG" restore-pitr
  DIALOG_EXIT=$?
  TRANSCRIPT=$(cat "$HARNESS_TMP/$name.txt")
}
tab=$'\t'

# A binlog from the menu, no stop time: that binlog whole and every earlier one.
dialog until_f1 "Database to restore:(.|\n)*Number \\(1-2\\): ${tab}9" \
  "Number \\(1-2\\): ${tab}{item:shop  base of}" \
  "Tables of shop${tab}" \
  "Number \\(1-[0-9]+\\): ${tab}{item:$F1  }" \
  "Stop time${tab}" \
  "type SI to confirm${tab}SI"
check "the menu path (database, binlog, no stop time, SI) exits 0" test "$DIALOG_EXIT" = 0 || echo "$TRANSCRIPT"
check "the database menu lists the bases of shop and other" \
  matches "$TRANSCRIPT" "^ +[12]\) other  base of .*mysql-bin\.[0-9]+:[0-9]+"
check "an invalid number is asked again" test "$(grep -c 'Number (1-2): ' <<<"$TRANSCRIPT")" = 2
check "the binlog menu shows each binlog with its first and last event times" \
  matches "$TRANSCRIPT" "^ +[0-9]+\) $F1  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} \.\. [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} "
check "the plan shown before SI stops at the end of $F1" contains "$TRANSCRIPT" "stop:       end of $F1"
check "choosing $F1 reproduces shop when $F1 was closed" same_text "$(fingerprint shop)" "$FP_F1"

# All binlogs with a stop time.
dialog stop_time "Number \\(1-2\\): ${tab}{item:shop  base of}" \
  "Tables of shop${tab}" \
  "Number \\(1-[0-9]+\\): ${tab}{item:all binlogs}" \
  "Stop time${tab}$T" \
  "type SI to confirm${tab}SI"
check "the menu path with a stop time exits 0" test "$DIALOG_EXIT" = 0 || echo "$TRANSCRIPT"
check "a stop time typed at the prompt reproduces the fingerprint at T" same_text "$(fingerprint shop)" "$FP_T"

# Anything but SI: exit 3, nothing changed; a binlog and a time together: exit 2.
sql "INSERT INTO shop.items (name, price) VALUES ('marker', 5)"
CURRENT=$(fingerprint shop)
dialog refused "Number \\(1-2\\): ${tab}{item:shop  base of}" \
  "Tables of shop${tab}" \
  "Number \\(1-[0-9]+\\): ${tab}1" \
  "Stop time${tab}" \
  "type SI to confirm${tab}si"
check "an answer other than SI exits 3" test "$DIALOG_EXIT" = 3 || echo "$TRANSCRIPT"
dialog both "Number \\(1-2\\): ${tab}{item:shop  base of}" \
  "Tables of shop${tab}" \
  "Number \\(1-[0-9]+\\): ${tab}{item:$F1  }" \
  "Stop time${tab}$T"
check "a binlog and a stop time together exit 2" test "$DIALOG_EXIT" = 2 || echo "$TRANSCRIPT"
check "... naming the conflict" contains "$TRANSCRIPT" "ambiguous"
check "neither touched the database" same_text "$(fingerprint shop)" "$CURRENT"

# No terminal: no menu, a usage error naming --db.
expect_exit 2 mp restore-pitr
check "without a terminal a missing --db names the option" contains "$ERR" "--db"
check "... and nothing is asked" bash -c "! grep -q 'Number (' <<<\"\$1\"" _ "$OUT$ERR"
expect_exit 2 bash -c 'echo 1 | "$0" -c "$1" --yes restore-pitr' "$MYSQLPITR_BIN" "$CONFIG"
check "answers piped on stdin are not read as menu choices" contains "$ERR" "--db"
check "the database is still untouched" same_text "$(fingerprint shop)" "$CURRENT"

# One table, answered at the tables question (last: its RENAME TABLE from the scratch database
# makes a later whole-database replay over it ambiguous).
dialog one_table "Number \\(1-2\\): ${tab}{item:shop  base of}" \
  "Tables of shop${tab}items" \
  "Number \\(1-[0-9]+\\): ${tab}{item:all binlogs}" \
  "Stop time${tab}$T" \
  "type SI to confirm${tab}SI"
check "the menu path with a table exits 0" test "$DIALOG_EXIT" = 0 || echo "$TRANSCRIPT"
check "... its plan replaces that table only" contains "$TRANSCRIPT" "REPLACES:   items in shop"
check "... and brings it to T" same_text "$(fingerprint shop)" "$FP_T"

harness_finish
