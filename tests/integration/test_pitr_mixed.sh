#!/usr/bin/env bash
# restore-pitr end to end with binlog_format=MIXED (see pitr_common.sh).
PITR_FORMAT=MIXED
source "$(dirname "$0")/pitr_common.sh"
