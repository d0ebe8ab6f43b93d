#!/usr/bin/env bash
# verify --drill: the newest dump restored into a scratch database, compared with the rows per
# table and their fingerprints its manifest recorded at dump time, the scratch database always
# dropped; a dump altered after its manifest was written (a row removed, or one value changed with
# every count the same) must fail the drill, and status must then say so. --pitr restores the base
# and the binlogs to the live position and compares with the live tables; a missing binlog fails it.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb

H=$BACKUP_DIR/historical
sql "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, total INT) ENGINE=InnoDB;
     INSERT INTO shop.orders VALUES (1, 10), (2, 20), (3, 30);
     CREATE TABLE shop.items (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO shop.items VALUES (1), (2);
     CREATE DATABASE crm; CREATE TABLE crm.c (id INT PRIMARY KEY); INSERT INTO crm.c VALUES (7);
     CREATE TABLE crm.kinds (id INT PRIMARY KEY, f FLOAT, d DOUBLE, n DECIMAL(20,6), t TIMESTAMP(3) NULL, dt DATETIME,
       b VARBINARY(8), bits BIT(5), j JSON, s SET('a','b'), txt TEXT CHARSET utf8mb4, g INT AS (id * 2) VIRTUAL);
     INSERT INTO crm.kinds (id, f, d, n, t, dt, b, bits, j, s, txt) VALUES
       (1, 0.1, 1e-300, -12345678901234.123456, '2026-03-29 01:30:00.125', '1000-01-01 00:00:00', X'00FF27', b'10101',
        '{\"k\": [1, 2]}', 'a,b', 'ünïcödé \\\\ '' \\n'),
       (2, NULL, NULL, NULL, NULL, NULL, '', b'0', NULL, '', '');"
expect_exit 0 mp backup --kind historical
expect_exit 0 mp backup --kind pitr-base
expect_exit 0 mp rotate-binlogs
dump=$(ls "$H" | grep '^shop-back_')
scratch_left() { sql "SHOW DATABASES LIKE 'mysqlpitr\\_drill%'"; }

check "the manifest records the rows of each table" python3 -c 'import json,sys
e=json.load(open(sys.argv[1]))["files"][sys.argv[2]]; assert e["table_rows"]=={"orders":3,"items":2}, e' \
  "$H/.mysqlpitr-manifest.json" "$dump"

expect_exit 0 mp verify --drill --dry-run
check "a dry run names the dump and the scratch database" matches "$OUT" "shop: .*$dump -> mysqlpitr_drill_[0-9]+_[0-9]+"
check "... and restores nothing" test -z "$(scratch_left)"

expect_exit 0 mp verify --drill --json
check "the drill of every database matches its manifest" python3 -c 'import json,sys
d=json.loads(sys.argv[1])["drill"]
assert d["shop"]["ok"] and d["crm"]["ok"] and d["shop"]["rows"]==5, d
assert d["shop"]["compared"]==d["crm"]["compared"]=="rows and fingerprints per table", d' "$OUT"
check "no scratch database is left" test -z "$(scratch_left)"
check "the originals are untouched" test "$(sql 'SELECT COUNT(*) FROM shop.orders')" = 3
expect_exit 0 mp verify "$H"
check "verify passes over the folders holding the job results" test -d "$H/.mysqlpitr-state"
expect_exit 0 mp status --json
check "status shows the last drill of shop as ok" python3 -c 'import json,sys
db=[d for d in json.loads(sys.argv[1])["databases"] if d["name"]=="shop"][0]; assert db["last_drill"]["ok"] is True, db' "$OUT"

# Rows altered after the manifest was written: one row of orders removed from the dump, its size
# and SHA-256 in the manifest rewritten to match (so only the drill's comparison can notice).
doctor() {  # doctor SED_EXPRESSION: edits the dump's SQL and re-records its size and SHA-256
  gzip -dc "$H/$dump" | sed -E "$1" | gzip >"$HARNESS_TMP/doctored.gz"
  mv "$HARNESS_TMP/doctored.gz" "$H/$dump"
  python3 - "$H/.mysqlpitr-manifest.json" "$H/$dump" "$dump" <<'PY'
import hashlib, json, os, sys
manifest = json.load(open(sys.argv[1]))
entry = manifest["files"][sys.argv[3]]
entry["size"] = os.path.getsize(sys.argv[2])
entry["sha256"] = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
json.dump(manifest, open(sys.argv[1], "w"))
PY
}
cp "$H/$dump" "$HARNESS_TMP/original.gz"
doctor 's/\(2,20\),//'
check "the doctored dump still passes verify (size and checksum re-recorded)" bash -c "'$MYSQLPITR_BIN' -c '$CONFIG' verify '$H/$dump' >/dev/null 2>&1"
expect_exit 1 mp verify --drill --db shop
check "the drill fails naming the table and both counts" contains "$ERR" "drill shop: table orders: 2 rows restored, the manifest recorded 3"
check "no scratch database is left after a failed drill" test -z "$(scratch_left)"
expect_exit 7 mp status --json
check "status is critical, naming the drill to rerun" python3 -c 'import json,sys
p=[p for p in json.loads(sys.argv[1])["problems"] if p["database"]=="shop" and "drill" in p["message"]]
assert p and p[0]["severity"]=="critical" and p[0]["fix"]=="mysqlpitr verify --drill --db shop", p' "$OUT"
check "the drill's job result holds the outcome" python3 -c 'import json,sys
r=json.load(open(sys.argv[1])); assert r["exit_code"]==1 and r["details"]["databases"]["shop"]["ok"] is False, r' \
  "$H/.mysqlpitr-state/job-drill.json"

# A load that fails half-way (a statement the server refuses after the tables were made): the
# scratch database is still dropped.
cp "$HARNESS_TMP/original.gz" "$H/$dump"
doctor 's/^(INSERT INTO `items`.*)$/\1\nINSERT INTO `no_such_table` VALUES (1);/'
expect_exit 1 mp verify --drill --db shop
check "a failed load fails the drill" contains "$ERR" "drill shop:"
check "... and still leaves no scratch database" test -z "$(scratch_left)"

# One value changed, every count the same: only the fingerprints can tell.
cp "$HARNESS_TMP/original.gz" "$H/$dump"
doctor 's/\(2,20\)/(2,21)/'
expect_exit 1 mp verify --drill --db shop
check "a changed value fails the drill, naming the table" \
  matches "$ERR" "drill shop: table orders: the restored rows are not the dumped ones \(fingerprint [0-9a-f]{16}, the manifest recorded [0-9a-f]{16}\)"
check "... and no other table" test "${ERR/table items/}" = "$ERR"
check "... leaving no scratch database" test -z "$(scratch_left)"

cp "$HARNESS_TMP/original.gz" "$H/$dump"
doctor 's/^$//'
expect_exit 0 mp verify --drill --db shop
expect_exit 0 mp status
check "a passing drill clears the problem" contains "$OUT" "status: OK"

# A drill killed outright leaves its scratch database: the next drill names it and leaves it alone.
sql "CREATE DATABASE mysqlpitr_drill_1_0"
expect_exit 0 mp verify --drill --dry-run
check "a scratch database left by a killed drill is named with the DROP that removes it" \
  contains "$ERR" 'scratch database mysqlpitr_drill_1_0 is left from an interrupted drill; drop it with: DROP DATABASE `mysqlpitr_drill_1_0`'
expect_exit 0 mp verify --drill --db crm
check "... and is not dropped by another drill" test "$(scratch_left)" = mysqlpitr_drill_1_0
sql "DROP DATABASE mysqlpitr_drill_1_0"

# --- verify --drill --pitr: the base and the binlogs up to the live position, compared with the
# live tables there: changes in archived binlogs and in the server's active one.
sql "CREATE TABLE shop.notes (id INT PRIMARY KEY, txt VARCHAR(20)) ENGINE=Aria; INSERT INTO shop.notes VALUES (1, 'aria');
     INSERT INTO shop.orders VALUES (4, 40); UPDATE shop.items SET id = 10 WHERE id = 1; FLUSH BINARY LOGS;
     INSERT INTO shop.orders VALUES (5, 50); UPDATE shop.orders SET total = 11 WHERE id = 1"
expect_exit 0 mp rotate-binlogs
sql "DELETE FROM shop.orders WHERE id = 2; INSERT INTO shop.items VALUES (3)"
LIVE=$(sql "SHOW MASTER STATUS" | cut -f1,2 | tr '\t' :)
expect_exit 0 mp verify --drill --pitr --db shop --dry-run
check "a dry run names the PITR scratch database" matches "$OUT" "shop: the newest PITR base .* -> mysqlpitr_drill_[0-9]+_0_pitr"
expect_exit 0 mp verify --drill --pitr --db shop --json
check "the PITR drill restores to the live position and matches every table" python3 -c 'import json,sys
p=json.loads(sys.argv[1])["drill"]["shop"]["pitr"]
assert p["ok"] and p["stop"]==sys.argv[2] and p["tables"]==3 and p["rows"]==8, p' "$OUT" "$LIVE"
check "no scratch database is left" test -z "$(scratch_left)"
check "the drill wrote nothing to the binary log" test "$(sql "SHOW MASTER STATUS" | cut -f1,2 | tr '\t' :)" = "$LIVE"

# A binlog between the base and now removed from the archive (and purged from the server): the
# replay refuses the gap, so the drill fails and status says so.
sql "PURGE BINARY LOGS TO '${LIVE%%:*}'"
GONE=$(cd "$BACKUP_DIR/binlogs" && ls | grep -E '^mysql-bin\.[0-9]+$' | sort | tail -1)
mv "$BACKUP_DIR/binlogs/$GONE" "$HARNESS_TMP/"
expect_exit 1 mp verify --drill --pitr --db shop
check "a PITR drill over a missing binlog fails, naming it" matches "$ERR" "drill shop: dump: .*; PITR: .*$GONE"
check "... leaving no scratch database" test -z "$(scratch_left)"
expect_exit 7 mp status --json
check "status is critical, naming the drill" python3 -c 'import json,sys
p=[p for p in json.loads(sys.argv[1])["problems"] if p["database"]=="shop" and "drill" in p["message"]]
assert p and p[0]["severity"]=="critical", p' "$OUT"
mv "$HARNESS_TMP/$GONE" "$BACKUP_DIR/binlogs/"
expect_exit 0 mp verify --drill --pitr --db shop
check "with the binlog back the PITR drill passes" contains "$OUT$ERR" "PITR: restored to"

# --- drill.server: the dump drill restores, compares and drops on another server; the live server
# never sees a scratch database (both servers' general logs are the oracle).
harness_start_second_mariadb
DRILLCONF=$HARNESS_TMP/drill.toml
cp "$CONFIG" "$DRILLCONF" && printf '\n[drill]\nserver = "%s"\n' "$SOCKET2" >>"$DRILLCONF"
md() { "$MYSQLPITR_BIN" -c "$DRILLCONF" "$@" </dev/null; }
sql "SET GLOBAL general_log_file = '$HARNESS_TMP/live-general.log'; SET GLOBAL general_log = 1"
SOCKET=$SOCKET2 sql "SET GLOBAL general_log_file = '$HARNESS_TMP/drill-general.log'; SET GLOBAL general_log = 1"
expect_exit 0 md verify --drill --db shop --json
check "the drill on drill.server matches the manifest" python3 -c 'import json,sys
d=json.loads(sys.argv[1])["drill"]["shop"]; assert d["ok"] and d["compared"]=="rows and fingerprints per table", d' "$OUT"
check "the scratch database was made on the drill server" grep -q 'CREATE DATABASE.*mysqlpitr_drill_' "$HARNESS_TMP/drill-general.log"
check "... and never on the live server" test -z "$(grep mysqlpitr_drill_ "$HARNESS_TMP/live-general.log")"
check "... nor left on either" test -z "$(scratch_left)$(SOCKET=$SOCKET2 scratch_left)"
sql "SET GLOBAL general_log = 0"
expect_exit 2 md verify --drill --pitr --db shop
check "--pitr with drill.server is refused, saying why" contains "$ERR" "runs on that server, not on drill.server ($SOCKET2)"
sed -i "s#^server = .*#server = \"db:99999\"#" "$DRILLCONF"
expect_exit 2 md verify --drill --db shop --dry-run
check "a drill.server that is no address is refused, naming the key" contains "$ERR" "drill.server"

harness_finish
