#!/usr/bin/env bash
# `status` as an operator meets it: each state of protection with its exit code (0 ok, 6 warning,
# 7 critical) and the fix it names; the job results the runner records; the Prometheus textfile
# (status --prometheus and monitoring.textfile) read back by the real client library's parser.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb

H=$BACKUP_DIR/historical
A=$BACKUP_DIR/binlogs
STATE=$H/.mysqlpitr-state
sql "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, total INT) ENGINE=InnoDB;
     INSERT INTO shop.orders VALUES (1, 10), (2, 20);"

# jq-free JSON reads: json FIELD.PATH from $OUT ("databases.0.name").
json() { python3 -c 'import json,sys
d=json.loads(sys.stdin.read())
for k in sys.argv[1].split("."):
    d = d[int(k)] if isinstance(d, list) else d[k]
print(json.dumps(d) if isinstance(d, (dict, list)) or d is None else d)' "$1" <<<"$OUT"; }
# The problems of the last status --json, one "severity database: message => fix" a line.
problems() { python3 -c 'import json,sys
for p in json.loads(sys.stdin.read())["problems"]:
    print("%s %s: %s => %s" % (p["severity"], p["database"], p["message"], p["fix"]))' <<<"$OUT"; }

# --- nothing backed up yet: critical, and the fix is the backup
expect_exit 7 mp status --json
check "no dump at all is critical, naming the backup that fixes it" \
  matches "$(problems)" '^critical shop: no historical dump => mysqlpitr backup --kind historical --db shop$'
check "the JSON says critical" test "$(json status)" = critical

# --- a historical dump but no PITR base: a warning (exit 6)
expect_exit 0 mp backup --kind historical
expect_exit 6 mp status --json
check "no PITR base is a warning naming pitr-base" \
  matches "$(problems)" '^warning shop: no PITR base.*=> mysqlpitr backup --kind pitr-base --db shop$'
check "the newest dump is shown with its age" test "$(json databases.0.dump.age_seconds)" -lt 120
check "the runner recorded the backup's result" test -f "$STATE/job-backup-historical.json"
check "... with its exit code, times and duration" python3 -c 'import json,sys
r=json.load(open(sys.argv[1])); assert r["job"]=="backup historical" and r["exit_code"]==0 and r["ended_at"]>=r["started_at"]>0 and r["duration_seconds"]>=0 and r["last_success_at"]==r["ended_at"], r' \
  "$STATE/job-backup-historical.json"
check "the state folder is invisible to list backups" bash -c "! '$MYSQLPITR_BIN' -c '$CONFIG' list backups | grep -q state"

# --- fresh: dump, base and archive all current: exit 0
expect_exit 0 mp backup --kind pitr-base
expect_exit 0 mp rotate-binlogs
expect_exit 0 mp status --json
check "fresh: status ok" test "$(json status)" = ok
check "fresh: the base's coordinates are shown" matches "$(json databases.0.base.coordinates.file)" '^mysql-bin\.[0-9]{6}$'
check "fresh: the archive continues from the base" test "$(json databases.0.continuous)" = True
# (The server's newest event is the new binlog's first, written by the rotation's FLUSH: a second later at most.)
check "fresh: the recovery point is the archive's, not behind" \
  test "$(json recovery_point.source)" = archive -a "$(json recovery_point.lag_seconds)" -le 1
expect_exit 0 mp status
check "the text names the database and the verdict" bash -c "grep -q '^status: OK' <<<\"\$0\" && grep -q '^shop ' <<<\"\$0\"" "$OUT"

# --- what a killed table-level restore or drill leaves: named with its fix, never taken for the
# site's data (not a database to protect, not backed up)
sql "CREATE DATABASE mysqlpitr_scratch_shop; CREATE DATABASE mysqlpitr_drill_4242_0;
     CREATE TABLE shop.\`orders#mysqlpitr\` (id INT PRIMARY KEY) ENGINE=InnoDB"
expect_exit 6 mp status --json
check "a leftover staging database is a warning naming it and the fix" \
  matches "$(problems)" '^warning : database mysqlpitr_scratch_shop was left by an interrupted .*DROP DATABASE `mysqlpitr_scratch_shop`'
check "a leftover drill database too" matches "$(problems)" '^warning : database mysqlpitr_drill_4242_0 .*restore drill'
check "a swapped-out live table names the table to compare it with" \
  matches "$(problems)" '^warning shop: table shop.orders#mysqlpitr is the live table .* => compare it with shop.orders'
check "the tool's own databases are not databases to protect" \
  bash -c '! grep -q "mysqlpitr_scratch_shop:\|mysqlpitr_drill_4242_0:" <<<"$1"' _ "$(problems)"
# A restore (or drill) running now holds its database's restore lock: what it stages is not a leftover.
sql "SELECT GET_LOCK('mysqlpitr.restore.mysqlpitr_drill_4242_0', 0), GET_LOCK('mysqlpitr.restore.shop', 0), SLEEP(120)" \
  >/dev/null 2>&1 &
HOLDER=$!
for _ in $(seq 50); do
  [ -n "$(sql "SELECT IS_USED_LOCK('mysqlpitr.restore.shop')" | grep -v NULL)" ] && break
  sleep 0.1
done
expect_exit 6 mp status --json
check "a drill running now is not reported as left over" bash -c '! grep -q "mysqlpitr_drill_4242_0" <<<"$1"' _ "$(problems)"
check "... nor the live table of a table-level restore running now" bash -c '! grep -q "orders#mysqlpitr" <<<"$1"' _ "$(problems)"
check "... the staging database of no running restore still is" matches "$(problems)" 'database mysqlpitr_scratch_shop was left'
sql "KILL $(sql "SELECT IS_USED_LOCK('mysqlpitr.restore.shop')")"
wait "$HOLDER" 2>/dev/null || true
expect_exit 0 mp backup --kind historical --json
check "a backup of every database leaves them out" \
  bash -c '! grep -q "mysqlpitr_scratch\|mysqlpitr_drill" <<<"$1"' _ "$(ls "$H")"
check "... and says so" python3 -c 'import json,sys; r=json.loads(sys.argv[1])
assert "mysqlpitr_scratch_shop" in r["skipped_own_databases"] and "mysqlpitr_drill_4242_0" in r["skipped_own_databases"], r' "$OUT"
expect_exit 0 mp backup --kind historical --db mysqlpitr_scratch_shop
check "one named explicitly is backed up like any other" bash -c 'ls "$1" | grep -q "^mysqlpitr_scratch_shop-back_"' _ "$H"
rm -f "$H"/mysqlpitr_scratch_shop-back_*
sql "DROP DATABASE mysqlpitr_scratch_shop; DROP DATABASE mysqlpitr_drill_4242_0; DROP TABLE shop.\`orders#mysqlpitr\`"
expect_exit 0 mp status

# --- a failed job: a warning naming the job and its rerun; a later success clears it
expect_exit 1 mp backup --kind historical --db nosuchdb
[ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exit_code"])' "$STATE/job-backup-historical.json")" != 0 ] &&
  pass "the failed run's exit code is recorded" || fail "the failed run's exit code is recorded"
check "... keeping the previous run's last success" python3 -c 'import json,sys
r=json.load(open(sys.argv[1])); assert 0 < r["last_success_at"] <= r["started_at"] and "nosuchdb" in r["error"], r' \
  "$STATE/job-backup-historical.json"
expect_exit 6 mp status --json
check "a failed backup is a warning with the command to rerun" \
  matches "$(problems)" '^warning : the last backup historical .* failed with exit code [0-9]+: .*nosuchdb.* => mysqlpitr backup --kind historical$'
expect_exit 0 mp backup --kind historical
expect_exit 0 mp status

# --- stale dump: the newest dump dated three days ago is critical (beyond twice 26h)
newest=$(ls "$H" | grep '^shop-back_' | sort | tail -1)
old=shop-back_$(date -d '3 days ago' +%Y-%m-%d_%H-%M).sql.gz
mkdir "$HARNESS_TMP/aside" && mv "$H"/shop-back_* "$HARNESS_TMP/aside/" && cp "$HARNESS_TMP/aside/$newest" "$H/$old"
expect_exit 7 mp status --json
check "a three-day-old dump is critical with the backup that fixes it" \
  matches "$(problems)" '^critical shop: its newest historical dump is .* old .*beyond .* => mysqlpitr backup --kind historical --db shop$'
MYSQLPITR_STATUS_MAX_DUMP_AGE=2d expect_exit 6 mp status --json
check "with status.max_dump_age 2d it is only a warning" matches "$(problems)" '^warning shop: its newest historical dump'
MYSQLPITR_STATUS_MAX_DUMP_AGE=4d expect_exit 0 mp status
MYSQLPITR_STATUS_MAX_DUMP_AGE=soon expect_exit 2 mp status
check "a threshold that is no duration is refused naming the key" contains "$ERR" "status.max_dump_age"
rm "$H/$old" && mv "$HARNESS_TMP/aside"/* "$H/"

# --- the recovery point lags: the server wrote after the last rotation
sleep 3
sql "INSERT INTO shop.orders VALUES (3, 30)"
MYSQLPITR_STATUS_MAX_RECOVERY_POINT=1s expect_exit 7 mp status --json
check "a recovery point 3 s behind with a 1 s threshold is critical, fixed by rotate-binlogs" \
  matches "$(problems)" '^critical : recovery point .* \(archive\) is .* behind the server.* => mysqlpitr rotate-binlogs'
server_newest=$(json recovery_point.server_newest_timestamp)
# A stream that has the newest event: the recovery point is the stream's.
printf '{"version":1,"state":"streaming","server_id":1,"file":"x","position":4,"last_event_time":%s,"updated_at":%s,"pid":1,"error":""}\n' \
  "$server_newest" "$(date +%s)" >"$A/.mysqlpitr-stream.json"
MYSQLPITR_STATUS_MAX_RECOVERY_POINT=1s expect_exit 0 mp status --json
check "a current stream state makes the recovery point the stream's" \
  test "$(json recovery_point.source)/$(json recovery_point.lag_seconds)" = stream/0
# A stream lagging: its state says its last event and update were an hour ago.
hour_ago=$(( $(date +%s) - 3600 ))
printf '{"version":1,"state":"streaming","server_id":1,"file":"x","position":4,"last_event_time":%s,"updated_at":%s,"pid":1,"error":""}\n' \
  "$hour_ago" "$hour_ago" >"$A/.mysqlpitr-stream.json"
MYSQLPITR_STATUS_MAX_RECOVERY_POINT=1s expect_exit 7 mp status --json
check "a stream whose state stopped moving is named, with the fix" \
  matches "$(problems)" '^warning : the binlog stream \(streaming\) has not updated its state since .* => restart `mysqlpitr binlogs stream`'
printf '{"version":1,"state":"failed","server_id":1,"file":"x","position":4,"last_event_time":%s,"updated_at":%s,"pid":1,"error":"server purged mysql-bin.000009"}\n' \
  "$hour_ago" "$hour_ago" >"$A/.mysqlpitr-stream.json"
expect_exit 6 mp status --json
check "a failed stream is a warning carrying its error" matches "$(problems)" '^warning : the binlog stream is failed: server purged mysql-bin.000009'
rm "$A/.mysqlpitr-stream.json"
expect_exit 0 mp rotate-binlogs

# --- the Prometheus textfile: status --prometheus, read by prometheus_client's own parser
# Debian's python3-prometheus-client is for the system's python3 (another may come first in PATH).
PROM_PY=""
for candidate in python3 /usr/bin/python3; do
  "$candidate" -c 'import prometheus_client' 2>/dev/null && { PROM_PY=$candidate; break; }
done
if [ -n "$PROM_PY" ]; then
  sql "CREATE DATABASE \`we\"ir\\\\d\`; CREATE TABLE \`we\"ir\\\\d\`.t (i INT PRIMARY KEY); INSERT INTO \`we\"ir\\\\d\`.t VALUES (1)"
  expect_exit 0 mp backup --kind historical
  expect_exit 0 mp backup --kind pitr-base
  expect_exit 0 mp status --json --prometheus "$HARNESS_TMP/status.prom"
  printf '%s' "$OUT" >"$HARNESS_TMP/status.json"
  check "--prometheus parses and agrees with --json" "$PROM_PY" - "$HARNESS_TMP/status.prom" "$HARNESS_TMP/status.json" <<'PY'
import json, sys
from prometheus_client.parser import text_string_to_metric_families
facts = json.load(open(sys.argv[2]))
samples = {}
for family in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in family.samples:
        samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
def get(name, **labels): return samples[(name, tuple(sorted(labels.items())))]
assert get("mysqlpitr_status") == 0, get("mysqlpitr_status")
assert get("mysqlpitr_server_up") == 1
for db in facts["databases"]:
    assert get("mysqlpitr_backup_timestamp_seconds", database=db["name"], kind="historical") == db["dump"]["timestamp"], db
    assert get("mysqlpitr_backup_size_bytes", database=db["name"], kind="historical") == db["dump"]["size"], db
    assert get("mysqlpitr_backup_timestamp_seconds", database=db["name"], kind="pitr-base") == db["base"]["timestamp"], db
    assert get("mysqlpitr_binlog_chain_continuous", database=db["name"]) == 1, db
assert 'we"ir\\\\d' in [db["name"] for db in facts["databases"]], facts["databases"]
rp = facts["recovery_point"]
assert get("mysqlpitr_recovery_point_timestamp_seconds", source=rp["source"]) == rp["timestamp"]
assert get("mysqlpitr_recovery_point_lag_seconds") == rp["lag_seconds"]
for job in facts["jobs"]:
    assert get("mysqlpitr_job_last_exit_code", job=job["job"]) == job["exit_code"], job
    assert get("mysqlpitr_job_last_run_timestamp_seconds", job=job["job"]) == job["ended_at"], job
assert get("mysqlpitr_job_last_exit_code", job="rotate-binlogs") == 0
PY
  # monitoring.textfile: every job rewrites it at its end.
  printf '\n[monitoring]\ntextfile = "%s"\n' "$HARNESS_TMP/textfile.prom" >>"$CONFIG"
  expect_exit 1 mp backup --kind historical --db nosuchdb
  check "a failing job rewrote monitoring.textfile with its exit code" "$PROM_PY" - "$HARNESS_TMP/textfile.prom" <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
codes = {s.labels["job"]: s.value for f in text_string_to_metric_families(open(sys.argv[1]).read())
         for s in f.samples if s.name == "mysqlpitr_job_last_exit_code"}
assert codes["backup historical"] == 1 and codes["rotate-binlogs"] == 0, codes
PY
  expect_exit 0 mp prune --older-than 30 --yes
  check "prune rewrote it too" grep -q 'mysqlpitr_job_last_exit_code{job="prune"} 0' "$HARNESS_TMP/textfile.prom"
  check "no temporary file is left beside it" test -z "$(ls -A "$HARNESS_TMP" | grep partial)"
  sql 'DROP DATABASE `we"ir\\d`'
  rm -f "$H"/we* "$BACKUP_DIR/incremental"/we*
  expect_exit 0 mp backup --kind historical
else
  skip_check "the textfile parsed by prometheus_client" "python3-prometheus-client is not installed"
fi

# --- a gap in the archive: a binlog the server has purged is lost from the archive
sql "INSERT INTO shop.orders VALUES (4, 40)"
expect_exit 0 mp rotate-binlogs
sql "INSERT INTO shop.orders VALUES (5, 50)"
expect_exit 0 mp rotate-binlogs
active=$(sql "SHOW MASTER STATUS" | cut -f1)
sql "PURGE BINARY LOGS TO '$active'"
lost=$(ls "$A" | grep -E '^mysql-bin\.[0-9]{6}$' | sort | tail -2 | head -1)
rm "$A/$lost"
expect_exit 7 mp status --json
check "the gap is critical, names the lost binlog and the new base that fixes it" \
  matches "$(problems)" "^critical shop: binlog $lost is neither archived nor on the server.* => mysqlpitr backup --kind pitr-base --db shop"
check "the archive is not continuous from the base" test "$(json databases.0.continuous)" = False
expect_exit 0 mp backup --kind pitr-base --db shop
expect_exit 0 mp status --json
check "after the fix it names, status is ok again" test "$(json status)" = ok

# --- the server unreachable: status still reports the backups, and says so
sed -i "s|^socket = .*|socket = \"$HARNESS_TMP/nowhere.sock\"|" "$CONFIG"
expect_exit 6 mp status --json
check "unreachable: a warning saying so, with the check to run" \
  matches "$(problems)" '^warning : the server is unreachable .* => mysqlpitr check$'
check "unreachable: the backups are still reported" test "$(json databases.0.dump.path)" != None
check "unreachable: server.reachable is false" test "$(json server.reachable)" = False

harness_finish
