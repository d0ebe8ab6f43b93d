#!/usr/bin/env bash
# What the manifest records is checked before anything is dropped or deleted, and the manifest
# and the files it records move together:
#  - a dump with one gzip member cut out still reads as a whole stream: restore-historical refuses
#    it with exit 5 because its size and SHA-256 are not the recorded ones, and the database stays;
#  - a PITR base whose coordinates were edited to a later valid position is refused by
#    restore-pitr with exit 5 (the edited file, and the coordinates alone), the database stays;
#  - prune keeps the newest backup that verifies, never a broken newer one, and reports that one;
#  - a 0-byte file and an empty gzip stream are refused by restore-historical with exit 5;
#  - a manifest write failing on a full disk leaves the earlier file of that name in place with
#    its entry (verify agrees), and the run's report names the file that exists;
#  - prune never keeps, as the newest, a legacy dump verify calls incomplete (a whole gzip stream
#    of a dump cut short), so the older good one stays;
#  - a PITR base backup killed before its rename, twice in a row, or over an old script's base the
#    manifest never recorded, leaves the earlier base verifying and restorable;
#  - a historical and a schema backup writing to one folder at once both keep their entries.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
H=$BACKUP_DIR/historical
P=$BACKUP_DIR/incremental

checksums() {  # CHECKSUM TABLE of every table of $1, one line
  local t
  for t in $(sql "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='$1' ORDER BY 1"); do
    sql "CHECKSUM TABLE \`$1\`.\`$t\` EXTENDED" | cut -f2
  done | tr '\n' ' '
}

sql "CREATE DATABASE shop; USE shop;
  CREATE TABLE shop.a (id INT PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB;
  CREATE TABLE shop.b (id INT PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB;
  CREATE TABLE shop.c (id INT PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB;
  INSERT INTO shop.a SELECT seq, CONCAT('a', seq) FROM seq_1_to_500;
  INSERT INTO shop.b SELECT seq, CONCAT('b', seq) FROM seq_1_to_500;
  INSERT INTO shop.c SELECT seq, CONCAT('c', seq) FROM seq_1_to_500;"

# --- 3. a gzip member cut out of a recorded dump ---------------------------------------------
expect_exit 0 mp backup --kind historical --db shop --jobs 1
DUMP=$(ls "$H"/shop-back_*.sql.gz)
# Each table's rows are a gzip member of their own: cut out the member holding table b's rows.
cut_member() {
  python3 - "$1" <<'PY'
import sys, zlib
path = sys.argv[1]
data = open(path, 'rb').read()
members, offset = [], 0
while offset < len(data):
    d = zlib.decompressobj(31)
    text = d.decompress(data[offset:])
    end = len(data) - len(d.unused_data)
    members.append((offset, end, text))
    offset = end
cut = [m for m in members if b'INSERT INTO `b`' in m[2]]
assert len(members) > 3 and len(cut) == 1, (len(members), len(cut))
start, end, _ = cut[0]
open(path, 'wb').write(data[:start] + data[end:])
PY
}
check "one gzip member (table b's rows) is cut out of the dump" cut_member "$DUMP"
check "the cut dump still decompresses as a whole stream with its completion marker" \
  bash -c "gunzip -c '$DUMP' | tail -n 1 | grep -q 'Dump completed'"
sql "INSERT INTO shop.a VALUES (1000, 'after the dump')"
BEFORE=$(checksums shop)
expect_exit 5 mp --yes restore-historical "$DUMP"
check "cut member: the refusal names the file" contains "$ERR" "$DUMP"
check "cut member: the refusal says what differs from the manifest" contains "$ERR" "differs from the manifest"
check "cut member: the database is untouched (CHECKSUM TABLE before == after)" test "$(checksums shop)" = "$BEFORE"
expect_exit 5 mp --yes restore-historical --db shop --dry-run
check "--dry-run refuses it the same way" contains "$ERR" "differs from the manifest"
expect_exit 1 mp verify "$DUMP"
check "verify agrees" contains "$ERR" "differs from the manifest"
rm -f "$DUMP"

# --- 3. a PITR base with doctored coordinates ------------------------------------------------
expect_exit 0 mp backup --kind pitr-base --db shop --jobs 1
BASE=$P/shop-back.sql
sql "INSERT INTO shop.a VALUES (1001, 'after the base 1'); INSERT INTO shop.a VALUES (1002, 'after the base 2')"
LATER=$(sql "SHOW MASTER STATUS" | cut -f2)
sql "INSERT INTO shop.c VALUES (1003, 'after the later position')"
check "the base records its coordinates" grep -q "MASTER_LOG_POS=" "$BASE"
cp "$BASE" "$HARNESS_TMP/base.orig"
sed -i -E "0,/MASTER_LOG_POS=[0-9]+/s//MASTER_LOG_POS=$LATER/" "$BASE"
check "the base now starts at the later position $LATER" grep -q "MASTER_LOG_POS=$LATER;" "$BASE"
BEFORE=$(checksums shop)
expect_exit 5 mp --yes restore-pitr --db shop
check "doctored base: the refusal names the base" contains "$ERR" "$BASE"
check "doctored base: the refusal says what differs from the manifest" contains "$ERR" "differs from the manifest"
check "doctored base: the database is untouched" test "$(checksums shop)" = "$BEFORE"
# The same edit with the manifest's size and SHA-256 brought in line: the coordinates still differ.
python3 - "$P" "$BASE" <<'PY'
import hashlib, json, os, sys
folder, base = sys.argv[1], sys.argv[2]
path = os.path.join(folder, '.mysqlpitr-manifest.json')
doc = json.load(open(path))
entry = doc['files'][os.path.basename(base)]
data = open(base, 'rb').read()
entry['size'] = len(data)
entry['sha256'] = hashlib.sha256(data).hexdigest()
json.dump(doc, open(path, 'w'))
PY
expect_exit 5 mp --yes restore-pitr --db shop
check "doctored base and manifest hash: the refusal names the coordinates" \
  contains "$ERR" "binlog coordinates $(sql "SHOW MASTER STATUS" | cut -f1):$LATER differ from the manifest's"
check "doctored base and manifest hash: the database is untouched" test "$(checksums shop)" = "$BEFORE"
cp "$HARNESS_TMP/base.orig" "$BASE"

# --- 5. empty dumps --------------------------------------------------------------------------
sql "CREATE DATABASE crm; CREATE TABLE crm.t (id INT PRIMARY KEY); INSERT INTO crm.t VALUES (1),(2),(3)"
BEFORE=$(checksums crm)
: >"$H/crm-back_2026-01-01_00-00.sql"
expect_exit 5 mp --yes restore-historical "$H/crm-back_2026-01-01_00-00.sql"
check "0-byte dump: refused naming the file" contains "$ERR" "crm-back_2026-01-01_00-00.sql"
printf '' | gzip -n >"$H/crm-back_2026-01-02_00-00.sql.gz"
expect_exit 5 mp --yes restore-historical --db crm
check "empty gzip: refused naming the file" contains "$ERR" "crm-back_2026-01-02_00-00.sql.gz"
check "empty dumps: crm is untouched" test "$(checksums crm)" = "$BEFORE"
rm -f "$H"/crm-back_*

# --- 4. prune keeps the newest backup that verifies ------------------------------------------
expect_exit 0 mp backup --kind historical --db crm --jobs 1
FIRST=$(ls "$H"/crm-back_*.sql.gz)
GOOD=$H/crm-back_$(date -d yesterday +%Y-%m-%d_%H-%M).sql.gz
mv "$FIRST" "$GOOD"   # an older good dump (no manifest entry under this name: checked as legacy)
expect_exit 0 mp backup --kind historical --db crm --jobs 1
NEWEST=$(ls "$H"/crm-back_*.sql.gz | grep -v "$(basename "$GOOD")")
printf '' | gzip -n >"$NEWEST"   # what a failed `mysqldump | gzip` leaves: 20 bytes
check "the broken newest dump is 20 bytes" test "$(stat -c %s "$NEWEST")" = 20
expect_exit 0 mp --json prune --older-than 0 --dry-run
check "prune --json reports the broken newest dump" python3 -c "
import json, sys
d = json.loads(sys.argv[1])
assert [b['path'] for b in d['broken']] == [sys.argv[2]], d.get('broken')
assert sys.argv[3] in [k['path'] for k in d['kept']], d['kept']
" "$OUT" "$NEWEST" "$GOOD"
expect_exit 0 mp --yes prune --older-than 0
check "prune keeps the older good dump" test -f "$GOOD"
check "prune reports the broken dump in its text" contains "$ERR$OUT" "broken backup"
check "the text names the broken file" contains "$ERR$OUT" "$NEWEST"

# --- 8. a manifest write failing on a full disk ----------------------------------------------
SMALL=$HARNESS_TMP/small
mkdir -p "$SMALL"
if mount -t tmpfs -o size=2m tmpfs "$SMALL" 2>/dev/null; then
  trap 'umount "$SMALL" 2>/dev/null; harness_cleanup' EXIT
  SMALL_CONFIG=$HARNESS_TMP/small.toml
  # One file name per day: the second run replaces the first run's file, as two runs within the
  # same minute do with the default date format.
  sed -e "s|^historical = .*|historical = \"$SMALL\"|" -e "s|^schema = .*|schema = \"$SMALL\"|" "$CONFIG" >"$SMALL_CONFIG"
  printf '\n[backup]\ndate_format = "%%Y-%%m-%%d"\n' >>"$SMALL_CONFIG"
  chmod 600 "$SMALL_CONFIG"
  small() { "$MYSQLPITR_BIN" -c "$SMALL_CONFIG" "$@" </dev/null; }
  expect_exit 0 small backup --kind historical --db crm --jobs 1
  TODAY=$SMALL/crm-back_$(date +%Y-%m-%d).sql.gz
  check "the first run wrote $TODAY" test -f "$TODAY"
  FIRST_SUM=$(sha256sum <"$TODAY")
  # A manifest too big to be rewritten in the space left, while the dump itself still fits.
  echo note >"$SMALL/notes.txt"
  python3 - "$SMALL" <<'PY'
import json, os, sys
path = os.path.join(sys.argv[1], '.mysqlpitr-manifest.json')
doc = json.load(open(path))
doc['files']['notes.txt'] = {'padding': 'x' * 600000}
json.dump(doc, open(path, 'w'))
PY
  avail=$(df -B1 --output=avail "$SMALL" | tail -n 1)
  head -c $((avail - 300 * 1024)) /dev/zero >"$SMALL/filler" 2>/dev/null
  sql "INSERT INTO crm.t VALUES (4),(5),(6)"
  small backup --kind historical --db crm --jobs 1 >"$HARNESS_TMP/full.out" 2>"$HARNESS_TMP/full.err"
  code=$?
  FULL_ERR=$(cat "$HARNESS_TMP/full.out" "$HARNESS_TMP/full.err")
  check "the run on a full disk fails (exit $code)" test "$code" != 0
  check "the report names the file that exists: $TODAY, the earlier one" \
    contains "$FULL_ERR" "$TODAY is still the earlier file"
  check "the earlier file is unchanged" test "$(sha256sum <"$TODAY")" = "$FIRST_SUM"
  expect_exit 0 small verify "$TODAY"
  check "verify finds the file consistent with the manifest" contains "$OUT$ERR" "ok     $TODAY"
  rm -f "$SMALL/filler"
  umount "$SMALL"
  trap harness_cleanup EXIT
else
  echo "# no tmpfs mount (not root?): the full-disk section is skipped"
fi

# --- 3. a hand-edited manifest entry of the wrong type ----------------------------------------
expect_exit 0 mp backup --kind historical --db crm --jobs 1
EDITED=$(ls -t "$H"/crm-back_*.sql.gz | head -n 1)
python3 - "$H" "$(basename "$EDITED")" <<'PY'
import json, os, sys
path = os.path.join(sys.argv[1], '.mysqlpitr-manifest.json')
doc = json.load(open(path))
doc['files'][sys.argv[2]]['size'] = str(doc['files'][sys.argv[2]]['size'])
json.dump(doc, open(path, 'w'))
PY
BEFORE=$(checksums crm)
expect_exit 5 mp --yes restore-historical --replace "$EDITED"
check "mistyped entry: the refusal says the entry has no valid size" contains "$ERR" "no valid \"size\""
check "mistyped entry: crm is untouched" test "$(checksums crm)" = "$BEFORE"

# --- 4. prune and a legacy dump cut short ------------------------------------------------------
# What `mysqldump | gzip` leaves when mysqldump dies half-way: a whole gzip stream holding SQL
# but no completion marker. verify calls it FAILED, so prune must not keep it as the newest.
rm -f "$H"/crm-back_*
expect_exit 0 mp backup --kind historical --db crm --jobs 1
OLD_GOOD=$H/crm-back_2026-01-01_00-00.sql.gz
mv "$(ls "$H"/crm-back_*.sql.gz)" "$OLD_GOOD"
CUT=$H/crm-back_2026-01-02_00-00.sql.gz
gunzip -c "$OLD_GOOD" | head -n 30 | gzip >"$CUT"
expect_exit 1 mp verify "$CUT"
check "verify calls the legacy dump cut short incomplete" contains "$ERR" "incomplete"
expect_exit 0 mp --yes prune --older-than 0
check "prune keeps the older good dump over the newer one cut short" test -f "$OLD_GOOD"
check "prune reports the dump cut short as broken" contains "$ERR$OUT" "broken backup, not counted as a backup to keep: $CUT"
rm -f "$H"/crm-back_*

# --- 8. a PITR base backup killed between its manifest entry and its rename ---------------------
# strace kills the run at its second rename(2): the first records the pending entry in the
# manifest, the second would give the dump its name.
if command -v strace >/dev/null && strace -f -o /dev/null -e trace=none true 2>/dev/null; then
  killed_base() {
    strace -f -o /dev/null -e trace=rename -e inject=rename:signal=KILL:when=2 \
      "$MYSQLPITR_BIN" -c "$CONFIG" backup --kind pitr-base --db crm --jobs 1 </dev/null >/dev/null 2>&1
  }
  CRM_BASE=$P/crm-back.sql
  expect_exit 0 mp backup --kind pitr-base --db crm --jobs 1
  BASE_SUM=$(sha256sum <"$CRM_BASE")
  for run in 1 2; do
    sql "INSERT INTO crm.t VALUES ($((100 + run)))"
    killed_base
    check "killed run $run: the earlier base is still in place" test "$(sha256sum <"$CRM_BASE")" = "$BASE_SUM"
    expect_exit 0 mp verify "$CRM_BASE"
    check "killed run $run: verify finds the earlier base consistent with the manifest" contains "$OUT$ERR" "ok     $CRM_BASE"
  done
  expect_exit 0 mp --yes restore-pitr --db crm --into crm_base_check --dry-run
  # An old script's base, which no manifest recorded.
  python3 - "$P" "$(basename "$CRM_BASE")" <<'PY'
import json, os, sys
path = os.path.join(sys.argv[1], '.mysqlpitr-manifest.json')
doc = json.load(open(path))
del doc['files'][sys.argv[2]]
json.dump(doc, open(path, 'w'))
PY
  sql "INSERT INTO crm.t VALUES (200)"
  killed_base
  expect_exit 0 mp verify "$CRM_BASE"
  check "unrecorded base, killed run: verify still accepts it" contains "$OUT$ERR" "ok     $CRM_BASE"
  expect_exit 0 mp --yes restore-pitr --db crm --into crm_base_check --dry-run

  # --- 8. two kinds writing to one folder (paths.schema defaults to paths.historical) ----------
  # The historical run's dump rename is held for 3 s while a schema backup rewrites the manifest.
  rm -f "$H"/crm-back_* "$H"/back-no-data_*
  setsid strace -f -o /dev/null -e trace=rename -e inject=rename:delay_enter=3000000:when=2 \
    "$MYSQLPITR_BIN" -c "$CONFIG" backup --kind historical --db crm --jobs 1 </dev/null >/dev/null 2>&1 &
  SLOW=$!
  sleep 1.5
  expect_exit 0 mp backup --kind schema --db crm --jobs 1
  while kill -0 "$SLOW" 2>/dev/null; do sleep 0.2; done
  HIST=$(ls "$H"/crm-back_*.sql.gz 2>/dev/null | head -n 1)
  check "the slow historical run wrote its dump" test -n "$HIST"
  check "its dump has its manifest entry, although another backup rewrote the manifest meanwhile" \
    python3 -c "import json,sys; assert sys.argv[2] in json.load(open(sys.argv[1]))['files']" \
    "$H/.mysqlpitr-manifest.json" "$(basename "${HIST:-none}")"
else
  skip_check "kill -9 and delay between a dump's manifest entry and its rename" "strace cannot trace here"
fi

harness_finish
