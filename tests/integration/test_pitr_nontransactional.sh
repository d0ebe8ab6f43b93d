#!/usr/bin/env bash
# restore-pitr and tables a ROLLBACK cannot undo (MyISAM), binlog_format=STATEMENT. A transaction
# that changes an InnoDB and a MyISAM table is logged as one group ending with an Xid; only
# MariaDB's GTID flag (no "trans") says that part of it cannot be rolled back.
# 1. Such a transaction is replayed on its own: when a later transaction of the same batch fails,
#    the batch's rollback and one-by-one replay must not apply its MyISAM change a second time.
# 2. A target whose table is MyISAM where the binlog's was InnoDB (the flag cannot know): the
#    failed group's ROLLBACK warns, and the replay stops instead of repeating the group.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --binlog-format=STATEMENT
source "$(dirname "$0")/pitr_lib.sh"

sql "CREATE DATABASE shop; CREATE DATABASE other;
  CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;
  CREATE TABLE shop.hits (id INT PRIMARY KEY, n INT) ENGINE=MyISAM;
  CREATE TABLE shop.tally (id INT PRIMARY KEY, n INT) ENGINE=InnoDB;
  INSERT INTO shop.hits VALUES (1, 100); INSERT INTO shop.tally VALUES (1, 100);
  CREATE TABLE other.src (id INT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;
  INSERT INTO other.src VALUES (1, 'from other');
  FLUSH BINARY LOGS"
make_pitr_base shop

# Small transactions for one group; the 10th changes InnoDB and MyISAM, the 15th bumps the InnoDB
# tally, the 21st reads other.src (dropped before the restore, so it fails on replay).
for i in $(seq 1 30); do
  case $i in
    10) echo "BEGIN; INSERT INTO items (name) VALUES ('g 10'); UPDATE hits SET n = n + 1; COMMIT;" ;;
    15) echo "UPDATE tally SET n = n + 1;" ;;
    21) echo "INSERT INTO items (name) SELECT name FROM other.src;" ;;
    *) echo "INSERT INTO items (name) VALUES ('g $i');" ;;
  esac
done | sql -D shop
read -r F POS_END < <(master_status)
FP_END=$(fingerprint shop)
sql "DROP TABLE other.src; FLUSH BINARY LOGS"
mariadb-binlog --no-defaults "$DATADIR/$F" >"$HARNESS_TMP/binlog.txt"
check "mariadb-binlog shows the mixed transaction without the transactional flag" \
  bash -c "grep -B30 'UPDATE hits' '$HARNESS_TMP/binlog.txt' | grep -E 'GTID [0-9-]+\$' >/dev/null"
POS_FAILING=$(awk '/^# at [0-9]+$/ {at=$3} index($0, "SELECT name FROM other.src") {print at; exit}' "$HARNESS_TMP/binlog.txt")

# 1.
expect_exit 1 mp --yes restore-pitr --db shop --stop-position "$F:$POS_END"
check "the replay stops at the failing event" contains "$ERR" "at $F:$POS_FAILING "
check "the MyISAM change of the mixed transaction is applied once, not twice" \
  test "$(sql "SELECT n FROM shop.hits")" = 101
check "the 20 transactions before the failure are applied" \
  test "$(sql "SELECT COUNT(*) FROM shop.items")" = 19
check "... the InnoDB bump once" test "$(sql "SELECT n FROM shop.tally")" = 101
sql "CREATE TABLE other.src (id INT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;
  INSERT INTO other.src VALUES (1, 'from other')"
expect_exit 0 mp --yes restore-pitr --db shop --stop-position "$F:$POS_END" --resume
check "--resume after fixing the cause reaches the original exactly" same_text "$(fingerprint shop)" "$FP_END"

# 2. The base says MyISAM for tally (the source's was InnoDB): the group holding the tally bump
# fails after it, and ROLLBACK cannot undo the bump.
sql "DROP TABLE other.src"
BASE=$BACKUP_DIR/incremental/shop-back.sql
sed -i '/CREATE TABLE `tally`/,/ENGINE=/ s/ENGINE=InnoDB/ENGINE=MyISAM/' "$BASE"
check "the edited base creates tally as MyISAM" grep -q 'ENGINE=MyISAM' "$BASE"
expect_exit 1 mp --yes restore-pitr --db shop --stop-position "$F:$POS_END"
check "the replay stops, saying the group's ROLLBACK could not undo everything" \
  contains "$ERR" "could not undo its changes to non-transactional tables"
check "... naming where the group starts" matches "$ERR" "from $F at [0-9]+"
check "... in one line" test "$(printf '%s\n' "$ERR" | grep -c '^mysqlpitr:')" = 1
check "the bump that could not be rolled back is there once, not replayed again" \
  test "$(sql "SELECT n FROM shop.tally")" = 101
check "the group's transactional changes are rolled back (items up to the 10th, on its own)" \
  test "$(sql "SELECT COUNT(*) FROM shop.items")" = 10

harness_finish
