#!/usr/bin/env bash
# restore-historical on a dump made by mysqlpitr's own `backup --kind historical`: the restore
# equals the original (data, tables, views, routines, triggers, events), and so does an --into copy.
source "$(dirname "$0")/harness.sh"
source "$(dirname "$0")/restore_common.sh"
"$MYSQLPITR_BIN" backup --help >/dev/null 2>&1 || skip "the backup command is not built yet"
harness_start_mariadb

load_fixture
normalised_fingerprint shop >"$HARNESS_TMP/original"
expect_exit 0 mp --yes backup --kind historical --db shop
DUMP=$(ls -t "$BACKUP_DIR"/historical/shop-back_*.sql* 2>/dev/null | head -n 1)
check "backup wrote a historical dump of shop" test -n "$DUMP"

sql "DELETE FROM shop.orders WHERE id > 10; DROP TRIGGER shop.orders_audit; DROP VIEW shop.view_on_view"
expect_exit 0 mp --yes restore-historical "$DUMP" --jobs 3
normalised_fingerprint shop >"$HARNESS_TMP/restored"
check "our own dump restores to the original database" same_fingerprint "$HARNESS_TMP/original" "$HARNESS_TMP/restored"
check "no trigger fired on restored rows" test "$(sql "SELECT COUNT(*) FROM shop.audit")" = 0

expect_exit 0 mp --yes restore-historical "$DUMP" --into shop_copy
normalised_fingerprint shop_copy >"$HARNESS_TMP/copy"
check "--into from our own dump gives an identical copy" same_fingerprint "$HARNESS_TMP/original" "$HARNESS_TMP/copy"

harness_finish
