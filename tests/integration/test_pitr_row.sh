#!/usr/bin/env bash
# restore-pitr end to end with binlog_format=ROW (see pitr_common.sh).
PITR_FORMAT=ROW
source "$(dirname "$0")/pitr_common.sh"
