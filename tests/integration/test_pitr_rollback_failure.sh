#!/usr/bin/env bash
# restore-pitr when rolling back a failed transaction fails too: the error says so, instead of
# passing the rollback off as clean. The replay's session is killed while a statement of a
# transaction it replays one statement at a time waits for a lock, so its ROLLBACK finds no
# session. How it gets there: the transaction reads other.src (INSERT ... SELECT, logged as a
# statement), which this test holds under LOCK TABLES ... WRITE. Replayed in its group, it waits
# out lock_wait_timeout (2 s here) and fails, the group is rolled back and replayed one statement
# at a time, where the same statement waits again: then its connection is killed.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --binlog-format=STATEMENT
source "$(dirname "$0")/pitr_lib.sh"

sql "CREATE DATABASE shop; CREATE DATABASE other;
  CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;
  CREATE TABLE other.src (id INT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;
  INSERT INTO other.src VALUES (1, 'from other');"
make_pitr_base shop
sql -D shop "INSERT INTO items (name) VALUES ('before');
  INSERT INTO items (name) SELECT name FROM other.src;"
# The restores are logged too: both runs stop where the workload ends.
read -r F END < <(master_status)
sql "FLUSH BINARY LOGS"
before=$(fingerprint shop)

# The lock holder: a session that keeps other.src locked until it is killed.
sql "LOCK TABLES other.src WRITE; DO SLEEP(120)" >/dev/null 2>&1 &
holder_client=$!
for _ in $(seq 1 100); do
  holder=$(sql "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE '%SLEEP(120)%'")
  [ -n "$holder" ] && break
  sleep 0.05
done
check "the test holds other.src locked" test -n "$holder"
sql "SET GLOBAL lock_wait_timeout = 2"

mp --yes restore-pitr --db shop --stop-position "$F:$END" >"$HARNESS_TMP/restore.out" 2>"$HARNESS_TMP/restore.err" &
restore=$!
# Replayed one at a time, the first transaction is committed before the INSERT waits: in the
# group's batch nothing is.
killed=""
for _ in $(seq 1 600); do
  waiting=$(sql "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'backup'
    AND INFO LIKE '%FROM other.src%' AND STATE LIKE '%metadata lock%'")
  if [ -n "$waiting" ] && [ "$(sql "SELECT COUNT(*) FROM shop.items WHERE name = 'before'" 2>/dev/null)" = 1 ]; then
    sql "KILL CONNECTION $waiting"; killed=$waiting; break
  fi
  kill -0 "$restore" 2>/dev/null || break
  sleep 0.02
done
wait "$restore"
status=$?
sql "SET GLOBAL lock_wait_timeout = DEFAULT; KILL CONNECTION $holder" 2>/dev/null
wait "$holder_client" 2>/dev/null
ERR=$(cat "$HARNESS_TMP/restore.err")
echo "  stderr: $ERR"

check "the replay's session was killed while its statement waited alone" test -n "$killed"
check "the restore fails with exit 1" test "$status" = 1
check "the error names the statement that failed" contains "$ERR" "FROM other.src"
check "the error says rolling the transaction back failed too, and why" contains "$ERR" "ROLLBACK: "
check "... and what to check before --resume" contains "$ERR" "non-transactional tables"
check "the error is one line" test "$(printf '%s\n' "$ERR" | grep -c '^mysqlpitr:')" = 1
check "the transaction before it stays replayed" test "$(sql "SELECT COUNT(*) FROM shop.items WHERE name = 'before'")" = 1
check "the failed one left nothing" test "$(sql "SELECT COUNT(*) FROM shop.items WHERE name = 'from other'")" = 0

# Unlocked, --resume finishes the replay: the database as it was.
expect_exit 0 mp --yes restore-pitr --db shop --stop-position "$F:$END" --resume
check "--resume reaches the database as it was" same_text "$(fingerprint shop)" "$before"

harness_finish
