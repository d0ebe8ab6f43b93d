#!/usr/bin/env bash
# restore-pitr end to end with binlog_format=STATEMENT (see pitr_common.sh).
PITR_FORMAT=STATEMENT
source "$(dirname "$0")/pitr_common.sh"
