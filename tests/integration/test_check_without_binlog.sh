#!/usr/bin/env bash
# A server without binary logging cannot do PITR: check says so and exits 5.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --no-binlog
expect_exit 5 mp check
check "log_bin is reported as FAIL with the fix" matches "$OUT" "^FAIL +log_bin"
check "the fix names log-bin" contains "$OUT" "log-bin"
harness_finish
