#!/usr/bin/env bash
# The S3 test tools themselves, before any test leans on them: the harness starts s3rver and
# always stops it, the aws client (the reference) round-trips a file through it, and the
# fault-injecting proxy (tests/tools/s3_fault_proxy.py) injects exactly the faults it is told to,
# logs them, and relays everything else byte for byte. No database server.
source "$(dirname "$0")/harness.sh"
command -v curl >/dev/null || harness_missing "curl not installed"
T=$HARNESS_TMP

# s3curl ARGS... URL: a request signed as libcurl's CURLOPT_AWS_SIGV4 signs it (curl 7.88 does not
# add x-amz-content-sha256 itself; s3rver requires it). s3sign puts those options in ${sign[@]},
# to repeat them after a curl --next.
s3sign() {
  sign=(--aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")
}
s3curl() { s3sign; curl -sS --max-time 20 "${sign[@]}" "$@"; }
# port_closed PORT: nothing accepts connections there any more.
port_closed() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
gone() { ! kill -0 "$1" 2>/dev/null; }

echo "# the harness stops s3rver and the proxy when a script ends, and when it is killed"
cat >"$T/child.sh" <<'EOS'
source "$HARNESS_SOURCE_DIR/tests/integration/harness.sh"
start_s3 ""
start_s3_fault_proxy "500:every=2"
sleep 600 &
HARNESS_HELPERS+=($!)
echo "$S3_PID $S3_PORT $S3_PROXY_PID $S3_PROXY_PORT $HARNESS_TMP $!" >"$1.tmp"
mv "$1.tmp" "$1"
[ "${2:-}" = hang ] && wait
exit 0
EOS
started=$(date +%s%N)
# Its output to a file: a helper it leaked would otherwise hold this script's stdout open.
HARNESS_SOURCE_DIR=$HARNESS_SOURCE_DIR bash "$T/child.sh" "$T/child.info" >"$T/child.out" 2>&1
read -r c_s3 c_port c_proxy c_proxy_port c_tmp c_sleep <"$T/child.info"
echo "# s3rver and the proxy started, and stopped at the end: $(( ($(date +%s%N) - started) / 1000000 )) ms"
check "s3rver is stopped when the script ends" gone "$c_s3"
check "the fault proxy is stopped when the script ends" gone "$c_proxy"
check "nothing listens on s3rver's port any more" port_closed "$c_port"
check "nothing listens on the proxy's port any more" port_closed "$c_proxy_port"
check "s3rver's data went with the harness's temporary folder" test ! -e "$c_tmp"
# Should a check above have failed, what the child left running is stopped with this script.
leaked() { local pid; for pid in "$@"; do kill -0 "$pid" 2>/dev/null && HARNESS_HELPERS+=("$pid"); done; return 0; }
leaked "$c_s3" "$c_proxy" "$c_sleep"

HARNESS_SOURCE_DIR=$HARNESS_SOURCE_DIR bash "$T/child.sh" "$T/hung.info" hang >"$T/hung.out" 2>&1 &
hung=$!
for _ in $(seq 1 600); do [ -e "$T/hung.info" ] && break; sleep 0.05; done
read -r c_s3 c_port c_proxy c_proxy_port c_tmp c_sleep <"$T/hung.info"
check "s3rver answers while the script runs" \
  test "$(curl -sS --max-time 20 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$c_port/no-bucket/none")" = 404
kill -TERM "$hung"
wait "$hung"
check "a script killed with TERM exits 130" test $? = 130
check "s3rver is stopped when the script is killed" gone "$c_s3"
check "the proxy is stopped when the script is killed" gone "$c_proxy"
check "the script's other helpers are stopped too" gone "$c_sleep"
check "nothing listens on s3rver's port after the kill" port_closed "$c_port"
check "the temporary folder is removed after the kill" test ! -e "$c_tmp"
leaked "$c_s3" "$c_proxy" "$c_sleep"

echo "# aws s3 (the reference client) round-trips a file through s3rver"
start_s3
check "the bucket exists (aws s3 ls)" matches "$(aws_s3 ls)" " mysqlpitr-test$"
# 9 MiB: above aws's 8 MiB multipart threshold, so parts, as mysqlpitr's uploads will be.
head -c 9437184 /dev/urandom >"$T/payload"
expect_exit 0 aws_s3 cp --only-show-errors "$T/payload" "s3://$S3_BUCKET/dir/payload.bin"
# A ~/.aws that would break it, and a profile that does not exist: the harness's client ignores both.
mkdir -p "$T/home/.aws"
printf '[default]\nregion = nowhere-9\ns3 =\n  addressing_style = virtual\n' >"$T/home/.aws/config"
HOME=$T/home AWS_PROFILE=nosuch expect_exit 0 aws_s3 ls "s3://$S3_BUCKET/dir/"
check "aws s3 ls shows the object and its size" matches "$OUT" " 9437184 payload.bin$"
check "the object read back (unsigned GET) is byte-identical" cmp -s <(s3curl "$S3_ENDPOINT/$S3_BUCKET/dir/payload.bin") "$T/payload"

echo "# the proxy relays what it does not fault byte for byte"
start_s3_fault_proxy
P=$S3_PROXY_ENDPOINT/$S3_BUCKET
D=$S3_ENDPOINT/$S3_BUCKET
head -c 3000000 /dev/urandom >"$T/body"
# curl sends Expect: 100-continue for bodies over 1 MiB, as libcurl does for big PUTs.
s3curl -v -T "$T/body" "$P/expect" >/dev/null 2>"$T/expect.err"
check "an Expect: 100-continue PUT gets its 100 Continue through the proxy" grep -q "^< HTTP/1.1 100 Continue" "$T/expect.err"
check "and lands byte-identical" cmp -s <(s3curl "$D/expect") "$T/body"
s3curl -v -T - "$P/chunked" <"$T/body" >/dev/null 2>"$T/chunked.err"
check "a chunked PUT was sent chunked" grep -qi "^> Transfer-Encoding: chunked" "$T/chunked.err"
check "and lands byte-identical" cmp -s <(s3curl "$D/chunked") "$T/body"
check "a GET through the proxy is byte-identical" cmp -s <(s3curl "$P/expect") "$T/body"
check "s3rver answers virtual-host requests (BUCKET.s3.localhost) too" \
  cmp -s <(s3curl "http://$S3_BUCKET.s3.localhost:$S3_PORT/expect") "$T/body"
s3curl -D "$T/direct.h" -o /dev/null "$D/expect?x=1"
s3curl -D "$T/proxy.h" -o /dev/null "$P/expect?x=1"
check "with the same response headers (but the Date)" same_text "$(grep -iv '^date:' "$T/proxy.h")" "$(grep -iv '^date:' "$T/direct.h")"
s3curl -v -o /dev/null -o /dev/null -o /dev/null "$P/expect" "$P/chunked" "$P/expect" 2>"$T/keepalive.err"
check "keep-alive: curl reuses its connection through the proxy" grep -q "Re-using existing connection" "$T/keepalive.err"
check "keep-alive: the proxy saw three requests on one connection" \
  test "$(tail -3 "$S3_PROXY_LOG" | sed 's/.* conn=//' | sort -u | wc -l)" = 1
s3curl -I -o "$T/head1" -I -o "$T/head2" "$P/expect" "$P/chunked"
check "HEAD answers (Content-Length without a body) pass, and the next request with them" \
  test "$(cat "$T/head1" "$T/head2" | grep -ci '^content-length: 3000000')" = 2
s3curl -T "$T/body" "$D/doomed"
s3sign
check "a DELETE (204, no body) passes, and the connection carries the next request" test "$(curl -sS --max-time 20 \
  "${sign[@]}" -X DELETE -w '%{http_code} ' "$P/doomed" --next "${sign[@]}" -o /dev/null -w '%{http_code}' "$P/doomed")" = "204 404"
check "on one connection" test "$(tail -2 "$S3_PROXY_LOG" | sed 's/.* conn=//' | sort -u | wc -l)" = 1
check "the object is gone from the server" test "$(s3curl -o /dev/null -w '%{http_code}' "$D/doomed")" = 404
check "no fault was logged for any of these" test "$(proxy_faults)" = 0

# Chunked responses (AWS sends list answers chunked; s3rver never does): a tiny server that does.
python3 - "$T/chunked.port" <<'PY' >"$T/chunked-server.out" 2>&1 &
import http.server, os, sys
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Trailer", "X-Check")
        self.end_headers()
        for part in (b"<List>", b"chunk;" * 5000, b"</List>"):
            self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(part), part))
        self.wfile.write(b"0\r\nX-Check: done\r\n\r\n")
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as out:
    out.write(str(server.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
PY
HARNESS_HELPERS+=($!)
for _ in $(seq 1 500); do [ -s "$T/chunked.port" ] && break; sleep 0.02; done
chunked_upstream=http://127.0.0.1:$(cat "$T/chunked.port")
PROXY_UPSTREAM=$chunked_upstream start_s3_fault_proxy
curl -sS --max-time 20 --raw "$chunked_upstream/list" >"$T/raw.direct"
curl -sS --max-time 20 --raw -o "$T/raw.proxy1" -o "$T/raw.proxy2" "$S3_PROXY_ENDPOINT/list" "$S3_PROXY_ENDPOINT/list"
check "a chunked response is relayed verbatim (sizes, extensions, trailer)" cmp -s "$T/raw.proxy1" "$T/raw.direct"
check "and the connection carries the next request" cmp -s "$T/raw.proxy2" "$T/raw.direct"
check "both on one connection" test "$(sed 's/.* conn=//' "$S3_PROXY_LOG" | sort -u | wc -l)" = 1

echo "# faults happen as configured, and are logged"
start_s3_fault_proxy "500:path=/f500$" "503:path=/f503$" "slowdown:path=/fslow$" "drop:path=/fdrop$" \
  "reset:path=/freset$" "delay:path=/fdelay$:seconds=1.5" "truncate:path=/ftrunc$:keep=1000" \
  "500:path=/every$:every=3" "503:path=/nth$:nth=2|3" "500:path=/times$:times=1" \
  "500:path=/after$:after=2:times=1" "500:method=PUT:path=/meth$" "503:path=/share$:share=0.5:seed=42" \
  "lose:method=PUT:path=/lost$"
P=$S3_PROXY_ENDPOINT/$S3_BUCKET
for name in fdelay ftrunc every nth times after meth share; do s3curl -T "$T/body" "$D/$name"; done
status() { s3curl -o "$T/status.body" -w '%{http_code}' "$@"; }
check "500: InternalError" test "$(status "$P/f500")" = 500
check "with S3's XML error body" grep -q "<Code>InternalError</Code>" "$T/status.body"
check "503: ServiceUnavailable" test "$(status "$P/f503")" = 503
check "with S3's XML error body" grep -q "<Code>ServiceUnavailable</Code>" "$T/status.body"
check "SlowDown: a 503" test "$(status "$P/fslow")" = 503
check "with S3's SlowDown body" grep -q "<Code>SlowDown</Code>" "$T/status.body"
s3curl -o /dev/null "$P/fdrop" 2>/dev/null
check "drop: no answer at all (curl: empty reply)" test $? = 52
s3curl -o /dev/null "$P/freset" 2>/dev/null
check "reset: the connection is reset (curl: receive failure)" test $? = 56
s3curl -T "$T/body" "$P/freset" 2>/dev/null
check "reset during an upload: the upload fails" test $? != 0
s3curl -T "$T/body" "$P/lost" 2>/dev/null
check "lose: the client gets no answer" test $? = 52
check "lose: but the server did the PUT" cmp -s <(s3curl "$D/lost") "$T/body"
check "delay: the answer comes, late" \
  awk -v t="$(s3curl -o "$T/delayed" -w '%{time_total}' "$P/fdelay")" 'BEGIN { exit !(t >= 1.5) }'
check "delay: whole" cmp -s "$T/delayed" "$T/body"
s3curl -o "$T/cut" -D "$T/cut.h" "$P/ftrunc" 2>/dev/null
check "truncate: curl sees a partial body" test $? = 18
check "truncate: the real Content-Length was announced" grep -qi "^content-length: 3000000" "$T/cut.h"
check "truncate: 1000 bytes, the object's first ones" cmp -s "$T/cut" <(head -c 1000 "$T/body")
statuses() {
  local n=$1 url=$2 i out=""
  for i in $(seq 1 "$n"); do out+="$(s3curl -o /dev/null -w '%{http_code}' "$url") "; done
  echo "${out% }"
}
check "every=3: the 3rd and 6th requests fail" same_text "$(statuses 7 "$P/every")" "200 200 500 200 200 500 200"
check "nth=2|3: those two fail" same_text "$(statuses 4 "$P/nth")" "200 503 503 200"
check "times=1: one fault, then through" same_text "$(statuses 3 "$P/times")" "500 200 200"
check "after=2: the third request fails" same_text "$(statuses 4 "$P/after")" "200 200 500 200"
check "method=PUT: a GET passes" test "$(status "$P/meth")" = 200
check "method=PUT: a PUT fails" test "$(status -T "$T/payload" "$P/meth")" = 500
check "the object was not changed by the refused PUT" cmp -s <(s3curl "$D/meth") "$T/body"
share=$(statuses 20 "$P/share")
faults=$(grep -o 503 <<<"$share" | wc -l)
check "share=0.5: some fail, some pass ($faults of 20)" test "$faults" -gt 2 -a "$faults" -lt 18
s3curl -v -o /dev/null -o /dev/null "$P/f503" "$P/meth" 2>"$T/after503.err"
check "an error answer keeps the connection alive" grep -q "Re-using existing connection" "$T/after503.err"
check "the log has one FAULT line per fault injected" same_text \
  "$(awk '$1 == "FAULT" { print $2 }' "$S3_PROXY_LOG" | LC_ALL=C sort | uniq -c | awk '{print $2, $1}')" \
  "$(printf '%s\n' "500 $((1 + 2 + 1 + 1 + 1))" "503 $((1 + 2 + faults + 1))" delay\ 1 drop\ 1 lose\ 1 reset\ 2 slowdown\ 1 truncate\ 1)"
check "FAULT lines name the request" grep -q "^FAULT truncate [0-9]* GET /$S3_BUCKET/ftrunc conn=[0-9]* sent=1000 of=3000000$" "$S3_PROXY_LOG"
first_log=$S3_PROXY_LOG
start_s3_fault_proxy "503:path=/share$:share=0.5:seed=42"
check "the same seed gives the same faults" same_text "$(statuses 20 "$S3_PROXY_ENDPOINT/$S3_BUCKET/share")" "$share"
start_s3_fault_proxy "503:path=/share$:share=0.5:seed=43"
check "another seed, other faults" test "$(statuses 20 "$S3_PROXY_ENDPOINT/$S3_BUCKET/share")" != "$share"
check "a misspelt rule is refused" test "$(python3 "$HARNESS_SOURCE_DIR/tests/tools/s3_fault_proxy.py" \
  --upstream "$S3_ENDPOINT" --port-file "$T/x" --log "$T/x.log" "503:evry=2" 2>&1 >/dev/null | grep -c evry)" = 1

echo "# the aws client retries part uploads that the proxy fails, and the object is whole"
start_s3_fault_proxy "503:parts:every=2"
AWS_ENDPOINT=$S3_PROXY_ENDPOINT expect_exit 0 aws_s3 cp --only-show-errors "$T/payload" "s3://$S3_BUCKET/dir/retried.bin"
check "a part upload was failed" test "$(proxy_faults 503)" -ge 1
check "only part uploads were failed" test -z "$(grep '^FAULT' "$S3_PROXY_LOG" | grep -v ' PUT [^ ]*partNumber=')"
check "the object is whole" cmp -s <(s3curl "$D/dir/retried.bin") "$T/payload"
check "the first proxy's log was left alone" test -s "$first_log"

echo "# the [s3] configuration, as config show prints it (no secret ever printed)"
CONFIG=$T/s3.toml
printf '[mysql]\nuser = "backup"\n' >"$CONFIG"
secret=not-the-access-key-$RANDOM
S3_SECRET_KEY=$secret append_s3_config "$CONFIG" both "$S3_PROXY_ENDPOINT"
chmod 600 "$CONFIG"
expect_exit 0 mp config show
check "repository.mode with the file and line it came from" matches "$OUT" "repository\.mode +both +$CONFIG:[0-9]+"
check "s3.endpoint as written" matches "$OUT" "s3\.endpoint +$S3_PROXY_ENDPOINT +$CONFIG:"
check "s3.part_size at its default" matches "$OUT" "s3\.part_size +16MiB +default"
check "the secret key shown as <redacted>" matches "$OUT" "s3\.secret_key +<redacted> +$CONFIG:"
check "the secret key nowhere in the output" test "${OUT/$secret/}${ERR/$secret/}" = "$OUT$ERR"
expect_exit 0 mp --json config show
check "--json: redacted too" test "$(jq -r '.settings["s3.secret_key"].value' <<<"$OUT")" = "<redacted>"
check "--json: the secret key nowhere" test "${OUT/$secret/}" = "$OUT"
AWS_SECRET_ACCESS_KEY=env-$secret AWS_ACCESS_KEY_ID=AKENV expect_exit 0 mp --json config show
check "AWS_SECRET_ACCESS_KEY overrides the file, and says so" \
  test "$(jq -r '.settings["s3.secret_key"].origin' <<<"$OUT")" = "environment AWS_SECRET_ACCESS_KEY"
check "AWS_ACCESS_KEY_ID too" test "$(jq -r '.settings["s3.access_key"] | .value + " " + .origin' <<<"$OUT")" = \
  "AKENV environment AWS_ACCESS_KEY_ID"
check "the environment's secret nowhere" test "${OUT/$secret/}" = "$OUT"
chmod 644 "$CONFIG"
expect_exit 2 mp config show
check "a readable file holding the secret key is refused with the chmod" contains "$ERR" "chmod 600 $CONFIG"
printf '[repository]\nmode = "s3"\n\n[s3]\nendpoint = "%s"\n' "$S3_ENDPOINT" >"$CONFIG"
expect_exit 2 mp config show
check "mode s3 without bucket or keys: one line naming them" \
  matches "$ERR" "repository\.mode \($CONFIG:2\): s3 keeps backups in a bucket and needs s3\.bucket, s3\.access_key"
check "in one line" test "$(wc -l <<<"$ERR")" = 1

echo "# S3_TLS=1: s3rver over https with a certificate made for the run"
S3_TLS=1 start_s3 tls-bucket
check "the endpoint is https" test "${S3_ENDPOINT%%://*}" = https
check "the aws client (given the CA) created the bucket" matches "$(aws_s3 ls)" " tls-bucket$"
s3curl -o /dev/null "$S3_ENDPOINT/tls-bucket/x" 2>/dev/null
check "without the CA file the certificate is refused (curl 60)" test $? = 60
s3curl --cacert "$S3_CA_FILE" -T "$T/body" "https://tls-bucket.s3.localhost:$S3_PORT/tls"
check "with it, a virtual-host PUT lands and a path-style GET reads it back" \
  cmp -s <(s3curl --cacert "$S3_CA_FILE" "$S3_ENDPOINT/tls-bucket/tls") "$T/body"
harness_finish
