#!/usr/bin/env bash
# verify --drill: the newest dump restored into a scratch database, compared with the rows per
# table its manifest recorded at dump time, the scratch database always dropped; a dump altered
# after its manifest was written must fail the drill, and status must then say so.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb

H=$BACKUP_DIR/historical
sql "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, total INT) ENGINE=InnoDB;
     INSERT INTO shop.orders VALUES (1, 10), (2, 20), (3, 30);
     CREATE TABLE shop.items (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO shop.items VALUES (1), (2);
     CREATE DATABASE crm; CREATE TABLE crm.c (id INT PRIMARY KEY); INSERT INTO crm.c VALUES (7);"
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
assert d["shop"]["ok"] and d["crm"]["ok"] and d["shop"]["rows"]==5 and d["shop"]["compared"]=="rows per table", d' "$OUT"
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

harness_finish
