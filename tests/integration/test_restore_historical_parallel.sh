#!/usr/bin/env bash
# restore-historical with the rows of big tables spread over several connections: the result
# equals what `gunzip -c | mysql` makes of the same dump, for InnoDB and MyISAM tables (DISABLE /
# ENABLE KEYS), for a dump made with --no-autocommit, and for a dump of two databases whose
# tables share a name (only USE tells them apart) or that selects a database it drops later; a
# failing INSERT far into the file stops the load with its line and byte offset; a connection that is
# a deadlock's victim runs its rolled-back rows again.
source "$(dirname "$0")/harness.sh"
source "$(dirname "$0")/restore_common.sh"
command -v mysqldump >/dev/null || skip "mysqldump not installed"
harness_start_mariadb --no-binlog

# Tables of about 6 MiB each: several batches (1 MiB), so each is loaded by several connections.
sql "CREATE DATABASE big; USE big;
     CREATE TABLE big.inno (id int PRIMARY KEY, k int, c varchar(250), KEY (k)) ENGINE=InnoDB;
     CREATE TABLE big.isam (id int PRIMARY KEY, k int, c varchar(250), KEY (k)) ENGINE=MyISAM;
     CREATE TABLE big.nokey (k int, c varchar(250)) ENGINE=InnoDB;
     INSERT INTO big.inno SELECT seq, seq * 7 % 1000, CONCAT(REPEAT('a''b\\\\', 60), seq) FROM seq_1_to_25000;
     INSERT INTO big.isam SELECT id, k, c FROM big.inno;
     INSERT INTO big.nokey SELECT k, c FROM big.inno;
     CREATE VIEW big.v AS SELECT COUNT(*) AS n FROM big.inno;"
normalised_fingerprint big >"$HARNESS_TMP/original"
check "each table holds several batches of rows (over 4 MiB)" \
  test "$(sql "SELECT SUM(LENGTH(c)) > 4 * 1048576 FROM big.inno")" = 1

for variant in plain no-autocommit; do
  DUMP=$BACKUP_DIR/historical/big-back_2026-11-24_23-10.sql.gz
  extra=()
  [ "$variant" = no-autocommit ] && extra=(--no-autocommit)
  mysqldump --no-defaults -S "$SOCKET" -uroot --databases big --routines --events --triggers \
    --single-transaction --add-drop-database "${extra[@]}" | gzip -6 >"$DUMP"
  sql "DROP DATABASE big"
  expect_exit 0 mp --yes restore-historical "$DUMP" --jobs 4
  normalised_fingerprint big >"$HARNESS_TMP/restored"
  check "$variant dump, --jobs 4: InnoDB and MyISAM tables and the view equal the original" \
    same_fingerprint "$HARNESS_TMP/original" "$HARNESS_TMP/restored"
  check "$variant dump: MyISAM keys are enabled again" \
    test "$(sql "SHOW INDEX FROM big.isam WHERE Key_name='k'" | grep -c disabled)" = 0
done

# An INSERT that fails in the middle of the second table's rows (the file read well past it by
# then): the error names its line and byte offset, and the view after all rows is not created.
gunzip -c "$DUMP" >"$HARNESS_TMP/plain.sql"
bad_line=$(grep -n '^INSERT INTO `isam`' "$HARNESS_TMP/plain.sql" | sed -n 2p | cut -d: -f1)
[ -n "$bad_line" ] || { fail "the dump has a second INSERT into isam"; harness_finish; }
awk -v n="$bad_line" 'NR == n { print "INSERT INTO `isam` VALUES (1,2);" } { print }' "$HARNESS_TMP/plain.sql" \
  >"$HARNESS_TMP/broken.sql"
bad_byte=$(head -n $((bad_line - 1)) "$HARNESS_TMP/broken.sql" | wc -c)
sql "DROP DATABASE big"
expect_exit 1 mp --yes restore-historical "$HARNESS_TMP/broken.sql" --jobs 3
check "the failing INSERT is named by line and byte offset" \
  contains "$ERR" "broken.sql: line $bad_line (byte $bad_byte)"
check "the server's error is shown" contains "$ERR" "Column count"
check "the view after the rows is not created" \
  test "$(sql "SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA='big'")" = 0

# A dump that turns autocommit off and changes rows with UPDATE/DELETE: committed where the dump
# commits, as the mysql client does (the oracle), and not where it does not.
cat >"$HARNESS_TMP/seed-back_2026-01-01_00-00.sql" <<'SQL'
CREATE DATABASE IF NOT EXISTS seed;
USE seed;
SET autocommit=0;
CREATE TABLE t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB;
INSERT INTO t VALUES (1, 1), (2, 2), (3, 3);
COMMIT;
UPDATE t SET v = 100 WHERE id = 1;
DELETE FROM t WHERE id = 2;
COMMIT;
UPDATE t SET v = 300 WHERE id = 3;
SQL
mariadb --no-defaults -S "$SOCKET" -uroot <"$HARNESS_TMP/seed-back_2026-01-01_00-00.sql"
by_client=$(sql 'SELECT GROUP_CONCAT(id, "=", v ORDER BY id) FROM seed.t')
sql "DROP DATABASE seed"
expect_exit 0 mp --yes restore-historical "$HARNESS_TMP/seed-back_2026-01-01_00-00.sql"
check "statements after SET autocommit=0 end as with the mysql client ($by_client)" \
  test "$(sql 'SELECT GROUP_CONCAT(id, "=", v ORDER BY id) FROM seed.t')" = "$by_client"
check "the client's result is the committed one" test "$by_client" = "1=100,3=3"

# A dump of two databases whose tables share a name, made with --no-create-db: only USE tells
# which database a row goes to. A connection that loaded two.t must not take one.t's rows with
# `USE two` still in effect (it starts a fresh session for them).
sql "CREATE DATABASE one; CREATE DATABASE two; USE one;
     CREATE TABLE one.t (id int PRIMARY KEY, c varchar(250)) ENGINE=InnoDB;
     CREATE TABLE two.t (id int PRIMARY KEY, c varchar(250)) ENGINE=InnoDB;
     INSERT INTO one.t SELECT seq, REPEAT('x', 240) FROM seq_1_to_40000;
     INSERT INTO two.t SELECT seq, 'two' FROM seq_1000001_to_1000100;"
same_name_state() { sql "SELECT COUNT(*), SUM(id), MAX(c) FROM one.t; SELECT COUNT(*), SUM(id), MAX(c) FROM two.t" | tr '\n' ' '; }
before=$(same_name_state)
check "one.t holds 40000 rows, two.t 100" test "$(sql "SELECT (SELECT COUNT(*) FROM one.t), (SELECT COUNT(*) FROM two.t)" | tr '\t' ' ')" = "40000 100"
DUMP=$HARNESS_TMP/one-and-two.sql.gz  # not a legacy name: it holds two databases
mysqldump --no-defaults -S "$SOCKET" -uroot --databases one two --single-transaction --no-create-db | gzip -1 >"$DUMP"
for jobs in 2 4; do
  sql "DROP TABLE one.t; DROP TABLE two.t"
  expect_exit 0 mp --yes restore-historical "$DUMP" --jobs $jobs
  check "--jobs $jobs: every row is back in the database its USE named" test "$(same_name_state)" = "$before"
done

# A dump that selects a database it drops before its rows: a data connection replays the dump's
# session from the start, and the USE of the dropped database must not stop it.
DUMP=$HARNESS_TMP/scratch-then-a.sql  # not a legacy name: it holds scratch and a
{ echo "CREATE DATABASE scratch; USE scratch; CREATE TABLE x (id int PRIMARY KEY); INSERT INTO x VALUES (1);"
  echo "DROP DATABASE scratch; CREATE DATABASE a; USE a; CREATE TABLE t (id int PRIMARY KEY, c varchar(200));"
  for i in $(seq 0 99); do
    printf 'INSERT INTO t VALUES '
    seq $((i * 100)) $((i * 100 + 99)) | sed "s/.*/(&,'$(printf 'y%.0s' $(seq 1 150))')/" | paste -sd, | tr -d '\n'
    echo ';'
  done
} >"$DUMP"
for jobs in 1 2; do
  sql "DROP DATABASE IF EXISTS a"
  expect_exit 0 mp --yes restore-historical "$DUMP" --jobs $jobs
  check "--jobs $jobs: a USE of a database dropped later does not stop the rows" \
    test "$(sql "SELECT COUNT(*) FROM a.t")" = 10000
done

# A data connection chosen as a deadlock victim runs its rows again: InnoDB rolled them back, and a
# restore that stops there leaves the operator to rerun it (seen when two connections shared the
# last table of a load). Another session makes the cycle: it holds row 2, the loader takes row 1 and
# waits for 2, then the session asks for 1; having changed far more rows, it is not the victim.
# Under autocommit=0 the victim's whole transaction is gone, rows before the failed INSERT too.
lock_waits() { sql "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'"; }
wait_for() {  # wait_for COMMAND VALUE: up to 10 s
  for _ in $(seq 100); do [ "$($1)" = "$2" ] && return 0; sleep 0.1; done
  return 1
}
deadlock_victim() {  # deadlock_victim NAME DUMP-TEXT
  local name=$1 dump=$HARNESS_TMP/rows-$1.sql fifo=$HARNESS_TMP/other-$1 out=$HARNESS_TMP/other-$1.out
  sql "DROP DATABASE IF EXISTS a; CREATE DATABASE a; USE a;
       CREATE TABLE t (id int PRIMARY KEY, c varchar(20)) ENGINE=InnoDB;
       CREATE TABLE heavy (id int PRIMARY KEY, v int) ENGINE=InnoDB;
       INSERT INTO t VALUES (100, 'before');
       INSERT INTO heavy SELECT seq, 0 FROM seq_1_to_2000;"
  echo "$2" >"$dump"
  mkfifo "$fifo"
  sql <"$fifo" >"$out" 2>&1 &
  local other_session=$!
  exec 7>"$fifo"
  echo "BEGIN; UPDATE a.heavy SET v = v + 1; INSERT INTO a.t VALUES (2, 'other'); SELECT 'holding';" >&7
  wait_for "cat $out" holding
  mp --yes restore-historical "$dump" --jobs 2 >"$HARNESS_TMP/deadlock-$name.out" 2>&1 &
  local loader=$!
  check "$name: the loader waits for the other session's row" wait_for lock_waits 1
  echo "INSERT INTO a.t VALUES (1, 'other'); DO SLEEP(1); ROLLBACK;" >&7
  exec 7>&-
  wait "$other_session"
  wait "$loader"
  check "$name: the restore that was a deadlock's victim succeeds" test $? = 0
  check "$name: the other session went through, not the victim" test "$(cat "$out")" = holding
}
deadlock_victim autocommit "USE a; INSERT INTO t VALUES (1,'restored'),(2,'restored');"
check "autocommit: the victim's rows are in" \
  test "$(sql "SELECT GROUP_CONCAT(id, c ORDER BY id) FROM a.t")" = "1restored,2restored,100before"
deadlock_victim transaction "USE a; SET autocommit=0; INSERT INTO t VALUES (3,'restored');
INSERT INTO t VALUES (1,'restored'),(2,'restored'); COMMIT;"
check "autocommit=0: the victim's rows are in, the ones before the failed INSERT too" \
  test "$(sql "SELECT GROUP_CONCAT(id, c ORDER BY id) FROM a.t")" = "1restored,2restored,3restored,100before"

harness_finish
