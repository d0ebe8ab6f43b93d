#!/usr/bin/env bash
# backup's safety: PITR bases carry coordinates that, with the binlog from them, give the final
# state while writes run during the dump; kill -9 leaves no final-named file; a truncated .gz fails
# verify naming the file; a second run of the same kind is refused with exit 5; one failing
# database does not stop the others (exit 4).
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
command -v mariadb-binlog >/dev/null || skip "mariadb-binlog not installed"

sql "CREATE DATABASE shop; USE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY AUTO_INCREMENT, amount INT, note VARCHAR(100)) ENGINE=InnoDB;
     INSERT INTO shop.orders (amount, note) SELECT seq, REPEAT('x', 90) FROM seq_1_to_200000;
     CREATE TABLE shop.other (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO shop.other SELECT seq, seq FROM seq_1_to_50000;"

# --- PITR base coordinates, with writes running during the dump.
writer() {
  for i in $(seq 1 300); do
    sql "INSERT INTO shop.orders (amount, note) VALUES ($i, 'during'); UPDATE shop.other SET v = v + 1 WHERE id = $i;" || break
  done
}
writer &
writer_pid=$!
sleep 0.2
expect_exit 0 mp --json backup --kind pitr-base --db shop --jobs 2
wait $writer_pid
base=$BACKUP_DIR/incremental/shop-back.sql
check "the PITR base has the legacy name <db>-back.sql, uncompressed" bash -c "head -c 100 '$base' | grep -q '^-- mysqlpitr'"
line=$(grep -m1 "^-- CHANGE MASTER TO MASTER_LOG_FILE='" "$base")
check "the base holds the legacy coordinates comment" test -n "$line"
binlog_file=$(sed -E "s/.*MASTER_LOG_FILE='([^']+)'.*/\1/" <<<"$line")
binlog_pos=$(sed -E "s/.*MASTER_LOG_POS=([0-9]+);.*/\1/" <<<"$line")
check "the JSON report carries the same coordinates" test "$(jq -r '.coordinates.file + ":" + (.coordinates.position|tostring)' <<<"$OUT")" = "$binlog_file:$binlog_pos"
final=$(sql "CHECKSUM TABLE shop.orders, shop.other" | cut -f2 | tr '\n' ' ')
sql "FLUSH BINARY LOGS"
# Every binlog from the base's coordinates to the flush, listed before the restore writes new ones.
binlogs=$(ls "$DATADIR"/mysql-bin.[0-9]* | awk -v f="$DATADIR/$binlog_file" '$0 >= f' | head -n -1)
load() { mariadb --no-defaults -S "$SOCKET" -uroot --init-command="SET sql_log_bin = 0"; }
sql "SET sql_log_bin = 0; DROP DATABASE shop"
load <"$base"
first=1
for b in $binlogs; do
  # The first file starts at the recorded position; the others are read whole.
  if [ $first = 1 ]; then mariadb-binlog --no-defaults --start-position="$binlog_pos" "$b"; first=0
  else mariadb-binlog --no-defaults "$b"; fi
done | load
replayed=$(sql "CHECKSUM TABLE shop.orders, shop.other" | cut -f2 | tr '\n' ' ')
check "base + binlog from its coordinates gives the final state" test "$final" = "$replayed"

# --- kill -9 in the middle of a historical dump.
"$MYSQLPITR_BIN" -c "$CONFIG" backup --kind historical --db shop --jobs 1 --level 9 </dev/null >/dev/null 2>&1 &
pid=$!
# Kill it as soon as it is writing (a temporary file exists), however fast this machine is.
for _ in $(seq 1 1000); do
  ls -A "$BACKUP_DIR/historical" | grep -q 'partial' && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.01
done
check "the backup was still writing when killed" kill -9 $pid
wait $pid 2>/dev/null
check "kill -9 leaves no final-named file" bash -c "! ls '$BACKUP_DIR/historical' | grep -q 'shop-back_'"
# The killed run's temporary file is removed by the next run of the same kind (which holds the
# kind's lock), not by a run of another kind sharing the folder.
leftover=$(ls -A "$BACKUP_DIR/historical" | grep '^\.shop-back_.*\.partial-' | head -1)
check "the killed run left its temporary file ($leftover)" test -n "$leftover"
expect_exit 0 mp backup --kind schema
check "a schema backup leaves the historical run's leftover alone" test -e "$BACKUP_DIR/historical/$leftover"
rm -f "$BACKUP_DIR"/historical/back-no-data_*

# --- a truncated .gz fails verify, naming the file.
expect_exit 0 mp backup --kind historical --db shop
check "the next historical backup removes the leftover" test ! -e "$BACKUP_DIR/historical/$leftover"
check "and says so" contains "$ERR$OUT" "left by an interrupted run"
good=$(ls "$BACKUP_DIR"/historical/shop-back_*.sql.gz)
expect_exit 0 mp verify "$good"
cut_copy=$BACKUP_DIR/historical/cut-back_2000-01-01_00-00.sql.gz
head -c $(( $(stat -c %s "$good") / 2 )) "$good" >"$cut_copy"
expect_exit 1 mp verify "$cut_copy"
check "verify names the truncated file" contains "$ERR$OUT" "$cut_copy"
rm -f "$cut_copy"
# A legacy mysqldump file (no manifest entry): stream and marker are checked.
mariadb-dump --no-defaults -S "$SOCKET" -uroot --databases shop --single-transaction | gzip -9 >"$BACKUP_DIR/historical/legacy-back_2000-01-01_00-00.sql.gz"
expect_exit 0 mp verify "$BACKUP_DIR/historical/legacy-back_2000-01-01_00-00.sql.gz"
# A file whose bytes changed after the manifest recorded it.
cp "$good" "$BACKUP_DIR/historical/copy.sql.gz"
printf 'x' | dd of="$good" bs=1 seek=20 conv=notrunc 2>/dev/null
expect_exit 1 mp verify "$good"
check "a corrupted file fails verify" contains "$ERR" "$good"
rm -f "$good" "$BACKUP_DIR/historical/legacy-back_2000-01-01_00-00.sql.gz" "$BACKUP_DIR/historical/copy.sql.gz"

# --- a second backup of the same kind while one runs: exit 5. Another kind writing to the same
# folder (schema shares historical's folder by default) is not held up, and both manifest entries
# survive.
exec 9>"$BACKUP_DIR/historical/.mysqlpitr-historical.lock"
flock -n 9
expect_exit 5 mp backup --kind historical --db shop
check "the lock error names the lock file" contains "$ERR" ".mysqlpitr-historical.lock"
expect_exit 0 mp backup --kind schema
flock -u 9
exec 9>&-
rm -f "$BACKUP_DIR/historical"/*.sql.gz
mp backup --kind historical --db shop >"$HARNESS_TMP/historical.log" 2>&1 &
historical_pid=$!
expect_exit 0 mp backup --kind schema
wait "$historical_pid"
check "a historical backup runs beside a schema backup in the same folder" test $? -eq 0
check "historical and schema backups run at once both reach the manifest" bash -c \
  "jq -e '.files | keys | map(select(test(\"^(shop-back_|back-no-data_)\"))) | length == 2' '$BACKUP_DIR/historical/.mysqlpitr-manifest.json' >/dev/null"

# --- one failing database does not stop the others.
sql "CREATE DATABASE broken; CREATE TABLE broken.t (id INT); CREATE VIEW broken.v AS SELECT id FROM broken.t; DROP TABLE broken.t;"
expect_exit 4 mp --json backup --kind historical
check "the failure names the database" bash -c "jq -e '.failures | map(.database) == [\"broken\"]' <<<'$OUT' >/dev/null"
check "the other database was written" bash -c "ls '$BACKUP_DIR/historical' | grep -q '^shop-back_'"
check "the failed database left no file" bash -c "! ls '$BACKUP_DIR/historical' | grep -q '^broken-back_'"

harness_finish
