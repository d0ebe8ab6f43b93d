#!/usr/bin/env bash
# restore-historical on a legacy mysqldump file (the old scripts' options): the restore equals
# both the original database and what `gunzip -c | mysql` makes of the same file; --into gives an
# identical copy and leaves the original alone; refusals change nothing.
source "$(dirname "$0")/harness.sh"
source "$(dirname "$0")/restore_common.sh"
command -v mysqldump >/dev/null || skip "mysqldump not installed"
harness_start_mariadb

load_fixture
normalised_fingerprint shop >"$HARNESS_TMP/original"
DUMP=$BACKUP_DIR/historical/shop-back_2026-11-24_23-10.sql.gz
legacy_dump shop "$DUMP"

# The oracle: the old restore path, into the original name.
gunzip -c "$DUMP" | mariadb --no-defaults -S "$SOCKET" -uroot
normalised_fingerprint shop >"$HARNESS_TMP/by_mysql"
check "the mysql client restores the legacy dump identically (oracle sanity)" \
  same_fingerprint "$HARNESS_TMP/original" "$HARNESS_TMP/by_mysql"

# Change the database, then restore it from the dump with our loader.
sql "DELETE FROM shop.orders WHERE id > 10; DROP VIEW shop.view_on_view; DROP PROCEDURE shop.add_customer; CREATE TABLE shop.extra (a int)"
expect_exit 0 mp --yes restore-historical "$DUMP" --jobs 3
check "plan names the file" contains "$OUT$ERR" "shop-back_2026-11-24_23-10.sql.gz"
check "plan says what is dropped" contains "$OUT$ERR" "DROPS:     database shop"
normalised_fingerprint shop >"$HARNESS_TMP/restored"
check "restore-historical restores the legacy dump exactly like the mysql client" \
  same_fingerprint "$HARNESS_TMP/by_mysql" "$HARNESS_TMP/restored"
check "the table that was not in the dump is gone (the dump drops the database)" \
  test "$(sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='shop' AND TABLE_NAME='extra'")" = 0
check "no trigger fired on restored rows" test "$(sql "SELECT COUNT(*) FROM shop.audit")" = 0

# --db picks the newest dump of the database; --json reports it.
cp "$DUMP" "$BACKUP_DIR/historical/shop-back_2026-11-20_23-10.sql.gz"
expect_exit 0 mp --yes --json restore-historical --db shop --dry-run
check "--db picks the newest dump" test "$(jq -r .plan.file <<<"$OUT")" = "$DUMP"
check "--json reports ok and what the dump drops" test "$(jq -c '[.ok, .plan.drops]' <<<"$OUT")" = '[true,["shop"]]'
expect_exit 0 mp --yes --json restore-historical --db shop --date 2026-11-20 --dry-run
check "--date picks the dump of that date" contains "$OUT" "shop-back_2026-11-20_23-10.sql.gz"

# --into: an identical copy under another name, the original untouched.
sql "INSERT INTO shop.legacy_log VALUES (100000, 'only in the original')"
normalised_fingerprint shop >"$HARNESS_TMP/before_into"
expect_exit 0 mp --yes restore-historical "$DUMP" --into shop_copy --jobs 2
normalised_fingerprint shop_copy >"$HARNESS_TMP/copy"
check "--into gives an identical copy (data, tables, views, routines, triggers, events)" \
  same_fingerprint "$HARNESS_TMP/by_mysql" "$HARNESS_TMP/copy"
normalised_fingerprint shop >"$HARNESS_TMP/after_into"
check "--into leaves the original database alone" same_fingerprint "$HARNESS_TMP/before_into" "$HARNESS_TMP/after_into"
check "the copy's view reads the copy's tables" \
  test "$(sql "SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA='shop_copy' AND TABLE_NAME='big_orders'" | grep -c '`shop`')" = 0
check "the copy's procedure writes into the copy" \
  test "$(sql "CALL shop_copy.add_customer('via copy')" >/dev/null && sql "SELECT COUNT(*) FROM shop_copy.customers WHERE name='via copy'")" = 1
check "... and not into the original" test "$(sql "SELECT COUNT(*) FROM shop.customers WHERE name='via copy'")" = 0

# An existing target is refused unless --replace.
expect_exit 5 mp --yes restore-historical "$DUMP" --into shop_copy
check "refusal names --replace" contains "$ERR" "--replace"
expect_exit 0 mp --yes restore-historical "$DUMP" --into shop_copy --replace
check "--replace restores over the copy" test "$(sql "SELECT COUNT(*) FROM shop_copy.customers WHERE name='via copy'")" = 0

# No terminal and no --yes: exit 3, nothing changed.
sql "CREATE TABLE shop.marker (a int)"
expect_exit 3 mp restore-historical "$DUMP"
check "not confirmed: the database is untouched" \
  test "$(sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='shop' AND TABLE_NAME='marker'")" = 1

harness_finish
