#!/usr/bin/env python3
"""A fault-injecting HTTP/1.1 proxy for tests: NOT an S3 server and not for production.

It listens on 127.0.0.1, forwards each request unchanged to an S3 endpoint (the s3rver the test
harness starts) and, for the requests a schedule picks, injects a fault instead: the connection
dropped before the answer, 500 InternalError, 503 ServiceUnavailable, 503 SlowDown (S3's
throttling answer, with its XML body), a delay, or the response body cut short (the real
Content-Length sent, the connection closed after fewer bytes). Every request is logged, faults
first on the line, so a test can assert the faults really happened:

    FAULT <kind> <n> <METHOD> <target> conn=<c> [detail]   (n: the request's number, from 1;
    PASS <n> <METHOD> <target> <status> conn=<c>            c: the client connection's, from 1)

Usage: s3_fault_proxy.py --upstream http://127.0.0.1:PORT --port-file F --log F [RULE]...
A RULE is KIND[:SELECTOR|SCHEDULE]..., e.g. "503:parts:every=2", "drop:method=GET:times=1",
"slowdown:share=0.3:seed=7", "truncate:method=GET:keep=100", "delay:seconds=2:nth=1".
  KIND      drop (whole request read, connection closed, no answer), reset (connection reset right
            after the request head, the body unread), lose (forwarded and done by the server, its
            answer lost: the connection closed instead), 500, 503, slowdown, delay, truncate
  SELECTOR  method=PUT|POST, query=TEXT (in the query string), path=REGEX (searched in the
            target), parts (PUT with partNumber=: multipart part uploads)
  SCHEDULE  every=N (the Nth, 2Nth... matching request; default 1), nth=3|5 (those matching
            requests), share=P with seed=S (a seeded random share), after=K (the first K matching
            requests pass), times=K (at most K faults from this rule)
  PARAM     seconds=S (delay; default 1), keep=BYTES (truncate; default half the body)
Every rule counts every request its selectors match; the first rule that fires injects its fault.

With --sigv4-secret SECRET the proxy also checks every request as S3 does before anything else:
its AWS Signature Version 4 (the canonical request rebuilt from what arrived: the path and query
decoded and encoded again by the rules, the signed headers, the x-amz-content-sha256 value) and, when
that value is a SHA-256, the body's. A request that fails is answered 403 SignatureDoesNotMatch (or
400 XAmzContentSHA256Mismatch) and logged "FAULT signature <n> <METHOD> <target> conn=<c> <why>".
s3rver itself checks no signature; this is what shows a client's signing works with a real server.

With --list-uploads-age SECONDS the proxy answers ListMultipartUploads (GET /bucket?uploads) itself,
which s3rver does not implement: it lists the multipart uploads started through it (POST ?uploads)
and not yet completed or aborted (POST or DELETE ?uploadId=), each shown as started SECONDS before
it really was, so that a client's clean-up of stale uploads can be tested without waiting a day.
It also answers AbortMultipartUpload (DELETE ?uploadId=) of an upload it lists, 204, which s3rver
refuses (405): the upload leaves the list; s3rver keeps its parts, which no client can see.

Pass-through requests and responses are relayed byte for byte (Content-Length, chunked and
close-delimited bodies, keep-alive), with one exception: the proxy answers "Expect:
100-continue" itself (libcurl sends it for big PUTs) and forwards the request without that
header, which neither SigV4 signer signs. The Host header is forwarded unchanged, as signed.
"""
import argparse
import datetime
import urllib.parse
import hashlib
import hmac
import os
import random
import re
import socket
import socketserver
import struct
import sys
import threading
import time

ERRORS = {
    "500": (500, "Internal Server Error", "InternalError", "We encountered an internal error. Please try again."),
    "503": (503, "Service Unavailable", "ServiceUnavailable", "Service is unable to handle request."),
    "slowdown": (503, "Slow Down", "SlowDown", "Please reduce your request rate."),
}
KINDS = {"drop", "reset", "lose", "delay", "truncate", *ERRORS}
TIMEOUT = 60


class Rule:
    def __init__(self, text, index):
        parts = text.split(":")
        self.kind = parts[0].lower()
        if self.kind not in KINDS:
            raise ValueError(f"rule {text!r}: unknown fault {parts[0]!r}")
        self.text = text
        self.methods = None
        self.query = None
        self.path = None
        self.every, self.after, self.times, self.nth, self.share = 1, 0, None, None, None
        self.seconds, self.keep = 1.0, None
        seed = index
        for part in parts[1:]:
            key, _, value = part.partition("=")
            if key == "parts":
                self.methods, self.query = {"PUT"}, "partNumber="
            elif key == "method":
                self.methods = set(value.upper().split("|"))
            elif key == "query":
                self.query = value
            elif key == "path":
                self.path = re.compile(value)
            elif key in ("every", "after", "times", "keep"):
                setattr(self, key, int(value))
            elif key == "nth":
                self.nth = {int(n) for n in value.split("|")}
            elif key == "share":
                self.share = float(value)
            elif key == "seed":
                seed = int(value)
            elif key == "seconds":
                self.seconds = float(value)
            else:
                raise ValueError(f"rule {text!r}: unknown setting {key!r}")
        self.random = random.Random(seed)
        self.matched = 0
        self.fired = 0

    def matches(self, method, target):
        path, _, query = target.partition("?")
        if self.methods is not None and method not in self.methods:
            return False
        if self.query is not None and self.query not in query:
            return False
        return self.path is None or bool(self.path.search(target))

    # Called under the proxy's lock, for every request, in arrival order.
    def fires(self, method, target):
        if not self.matches(method, target):
            return False
        self.matched += 1
        draw = self.random.random() if self.share is not None else None
        if self.matched <= self.after or (self.times is not None and self.fired >= self.times):
            return False
        count = self.matched - self.after
        if self.nth is not None:
            hit = count in self.nth
        elif draw is not None:
            hit = draw < self.share
        else:
            hit = count % self.every == 0
        self.fired += hit
        return hit


class Message:
    """One HTTP message head: its raw lines as received, and parsed fields."""

    def __init__(self, raw_lines):
        self.raw_lines = raw_lines
        self.first = raw_lines[0].decode("latin-1").rstrip("\r\n")
        self.headers = []
        for line in raw_lines[1:]:
            name, _, value = line.decode("latin-1").partition(":")
            self.headers.append((name.strip().lower(), value.strip()))

    def header(self, name):
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def raw(self, without=()):
        kept = [line for line in self.raw_lines[1:] if line.split(b":", 1)[0].strip().lower() not in without]
        return self.raw_lines[0] + b"".join(kept) + b"\r\n"


def read_head(reader):
    lines = []
    while True:
        line = reader.readline(65537)
        if not line:
            if lines:
                raise ConnectionError("connection closed inside a message head")
            return None
        if line in (b"\r\n", b"\n"):
            if lines:
                return Message(lines)
            continue  # stray empty lines between messages
        lines.append(line)


def copy_exact(reader, count, write):
    while count > 0:
        chunk = reader.read(min(count, 65536))
        if not chunk:
            raise ConnectionError("connection closed inside a body")
        write(chunk)
        count -= len(chunk)


def copy_chunked(reader, write):
    """Relays a chunked body verbatim (sizes, extensions, trailers)."""
    while True:
        size_line = reader.readline(65537)
        if not size_line:
            raise ConnectionError("connection closed inside a chunked body")
        write(size_line)
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            while True:
                trailer = reader.readline(65537)
                if not trailer:
                    raise ConnectionError("connection closed inside chunked trailers")
                write(trailer)
                if trailer in (b"\r\n", b"\n"):
                    return
        copy_exact(reader, size + 2, write)  # the data and its CRLF


def copy_body(message, reader, write, request_method=None):
    """Copies the body that follows `message`; returns False when it ran to the end of the connection."""
    if request_method is not None:
        status = int(message.first.split()[1])
        if request_method == "HEAD" or status < 200 or status in (204, 304):
            return True
    if "chunked" in (message.header("transfer-encoding") or "").lower():
        copy_chunked(reader, write)
        return True
    length = message.header("content-length")
    if length is not None:
        copy_exact(reader, int(length), write)
        return True
    if request_method is None:
        return True  # a request without framing has no body
    while True:
        chunk = reader.read1(65536)
        if not chunk:
            return False
        write(chunk)


UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def percent_decode(text):
    out, i, raw = bytearray(), 0, text.encode("latin-1")
    while i < len(raw):
        if raw[i] == 0x25 and i + 2 < len(raw) and re.fullmatch(rb"[0-9A-Fa-f]{2}", raw[i + 1:i + 3]):
            out.append(int(raw[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return bytes(out)


def sigv4_encode(data, keep_slash):
    return "".join(chr(b) if b in UNRESERVED or (keep_slash and b == 0x2F) else f"%{b:02X}" for b in data)


def dechunk(raw):
    """The payload of a chunked body (as relayed verbatim)."""
    out, at = bytearray(), 0
    while True:
        end = raw.index(b"\r\n", at)
        size = int(raw[at:end].split(b";", 1)[0].strip(), 16)
        at = end + 2
        if size == 0:
            return bytes(out)
        out += raw[at:at + size]
        at += size + 2


def check_sigv4(request, method, target, body, secret):
    """Why the request fails S3's checks, or None (AWS SigV4, header form)."""
    auth = request.header("authorization") or ""
    match = re.fullmatch(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request,\s*"
                         r"SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})", auth)
    if not match:
        return "SignatureDoesNotMatch", f"no SigV4 Authorization header ({auth[:60]!r})"
    _, day, region, service, signed, signature = match.groups()
    amz_date = request.header("x-amz-date") or ""
    if not amz_date.startswith(day):
        return "SignatureDoesNotMatch", f"x-amz-date {amz_date!r} is not of the credential's day {day}"
    try:
        stamp = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return "SignatureDoesNotMatch", f"x-amz-date {amz_date!r} is no timestamp"
    if abs((datetime.datetime.now(datetime.timezone.utc) - stamp).total_seconds()) > 900:
        return "RequestTimeTooSkewed", f"x-amz-date {amz_date} is more than 15 minutes off"
    payload = request.header("x-amz-content-sha256")
    if payload is None:
        return "SignatureDoesNotMatch", "no x-amz-content-sha256 header (S3 requires it)"
    if re.fullmatch(r"[0-9a-f]{64}", payload):
        actual = hashlib.sha256(body).hexdigest()
        if actual != payload:
            return "XAmzContentSHA256Mismatch", f"body SHA-256 {actual}, header {payload}"
    elif payload != "UNSIGNED-PAYLOAD":
        return "SignatureDoesNotMatch", f"x-amz-content-sha256 {payload!r} is not handled here"
    path, _, query = target.partition("?")
    canonical_uri = sigv4_encode(percent_decode(path), keep_slash=True)
    pairs = []
    for item in query.split("&") if query else []:
        name, _, value = item.partition("=")
        pairs.append((sigv4_encode(percent_decode(name), False), sigv4_encode(percent_decode(value), False)))
    canonical_query = "&".join(f"{n}={v}" for n, v in sorted(pairs))
    names = signed.split(";")
    if "host" not in names or names != sorted(names):
        return "SignatureDoesNotMatch", f"SignedHeaders {signed!r} lacks host or is not sorted"
    lines = []
    for name in names:
        values = [v for k, v in request.headers if k == name]
        if not values:
            return "SignatureDoesNotMatch", f"signed header {name} is not in the request"
        lines.append(name + ":" + ",".join(" ".join(v.split()) for v in values) + "\n")
    canonical = "\n".join([method, canonical_uri, canonical_query, "".join(lines), signed, payload])
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return "SignatureDoesNotMatch", f"signature differs; canonical request {canonical!r}"
    return None


def xml_error(status, reason, code, text, target):
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{text}</Message><Resource>{target}</Resource>"
        "<RequestId>FAULTPROXY</RequestId></Error>"
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/xml\r\nContent-Length: {len(body)}\r\n"
        "Connection: keep-alive\r\n\r\n"
    ).encode()
    return head + body


def signature_response(code, target):
    status, reason = (400, "Bad Request") if code == "XAmzContentSHA256Mismatch" else (403, "Forbidden")
    return xml_error(status, reason, code, "checked by the test proxy", target)


def error_response(kind, target):
    return xml_error(*ERRORS[kind], target)


class Proxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, upstream, rules, log_path, sigv4_secret=None, uploads_age=None):
        super().__init__(("127.0.0.1", 0), Connection)
        self.sigv4_secret = sigv4_secret
        self.uploads_age = uploads_age
        self.uploads = {}  # upload id -> (bucket, key, started)
        self.upstream = upstream
        self.rules = rules
        self.lock = threading.Lock()
        self.sequence = 0
        self.connections = 0
        self.log_file = open(log_path, "a", buffering=1)

    def decide(self, method, target):
        with self.lock:
            self.sequence += 1
            chosen = None
            for rule in self.rules:
                if rule.fires(method, target) and chosen is None:
                    chosen = rule
            return self.sequence, chosen

    def connection_number(self):
        with self.lock:
            self.connections += 1
            return self.connections

    def log(self, line):
        with self.lock:
            self.log_file.write(line + "\n")


def query_params(target):
    return dict(urllib.parse.parse_qsl(target.partition("?")[2], keep_blank_values=True))


def bucket_and_key(target):
    path = urllib.parse.unquote(target.partition("?")[0])
    bucket, _, key = path.lstrip("/").partition("/")
    return bucket, key


def list_uploads_response(server, target):
    params = query_params(target)
    bucket, _ = bucket_and_key(target)
    prefix = params.get("prefix", "")
    encode = params.get("encoding-type") == "url"
    items = []
    with server.lock:
        for upload_id, (upload_bucket, key, started) in sorted(server.uploads.items(), key=lambda i: i[1][1]):
            if upload_bucket != bucket or not key.startswith(prefix):
                continue
            shown = datetime.datetime.fromtimestamp(started - server.uploads_age, datetime.timezone.utc)
            name = urllib.parse.quote(key, safe="/") if encode else key
            items.append(f"<Upload><Key>{name}</Key><UploadId>{upload_id}</UploadId>"
                         f"<Initiated>{shown.strftime('%Y-%m-%dT%H:%M:%S.000Z')}</Initiated></Upload>")
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            f"<Bucket>{bucket}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>"
            + ("<EncodingType>url</EncodingType>" if encode else "")
            + f"<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>{''.join(items)}"
            "</ListMultipartUploadsResult>").encode()
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {len(body)}\r\n"
            "Connection: keep-alive\r\n\r\n").encode()
    return head + body


class Connection(socketserver.BaseRequestHandler):
    def setup(self):
        self.request.settimeout(TIMEOUT)
        self.client = self.request.makefile("rb")
        self.number = self.server.connection_number()

    def handle(self):
        try:
            while self.exchange():
                pass
        except (ConnectionError, socket.timeout, OSError, ValueError):
            pass

    def discard(self, _):
        pass

    def read_request_body(self, request, write):
        if (request.header("expect") or "").lower() == "100-continue":
            self.request.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        copy_body(request, self.client, write)

    # One request and its answer; False when the client connection is finished.
    def exchange(self):
        request = read_head(self.client)
        if request is None:
            return False
        method, target = request.first.split()[0:2]
        number, rule = self.server.decide(method, target)
        kind = rule.kind if rule else None
        body = None
        if self.server.sigv4_secret is not None:
            raw = bytearray()
            self.read_request_body(request, raw.extend)
            body = bytes(raw)
            chunked = "chunked" in (request.header("transfer-encoding") or "").lower()
            failed = check_sigv4(request, method, target, dechunk(body) if chunked else body, self.server.sigv4_secret)
            if failed is not None:
                self.server.log(f"FAULT signature {number} {method} {target} conn={self.number} {failed[0]}: {failed[1]}")
                self.request.sendall(signature_response(failed[0], target))
                return True
        if kind == "reset":
            self.server.log(f"FAULT reset {number} {method} {target} conn={self.number}")
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.client.close()  # the descriptor closes (with RST) only once no file object holds it
            self.request.close()
            return False
        if kind == "drop" or kind in ERRORS:
            if body is None:
                self.read_request_body(request, self.discard)
            self.server.log(f"FAULT {kind} {number} {method} {target} conn={self.number}")
            if kind == "drop":
                self.request.shutdown(socket.SHUT_RDWR)
                return False
            self.request.sendall(error_response(kind, target))
            return True
        if kind == "delay":
            self.server.log(f"FAULT delay {number} {method} {target} conn={self.number} seconds={rule.seconds}")
            time.sleep(rule.seconds)
        if self.server.uploads_age is not None and method == "DELETE" and "uploadId" in query_params(target):
            with self.server.lock:
                known = self.server.uploads.pop(query_params(target)["uploadId"], None) is not None
            if known:
                if body is None:
                    self.read_request_body(request, self.discard)
                self.request.sendall(b"HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n")
                self.server.log(f"PASS {number} {method} {target} 204 conn={self.number} (answered by the proxy)")
                return True
        if self.server.uploads_age is not None and method == "GET" and "uploads" in query_params(target):
            if body is None:
                self.read_request_body(request, self.discard)
            self.request.sendall(list_uploads_response(self.server, target))
            self.server.log(f"PASS {number} {method} {target} 200 conn={self.number} (answered by the proxy)")
            return True
        return self.forward(request, number, method, target, rule if kind in ("truncate", "lose") else None, body)

    # A new upstream connection per request: reusing one that the server closed while idle would
    # turn into a fault nobody asked for. The client's connection is kept alive as it asks.
    def forward(self, request, number, method, target, truncate, body=None):
        if body is None:
            # Received whole before anything goes upstream: a request whose client died half-way
            # through its body is never forwarded, as S3 stores nothing from an incomplete PUT
            # (s3rver would store what had arrived, an empty or cut object).
            raw = bytearray()
            self.read_request_body(request, raw.extend)
            body = bytes(raw)
        with socket.create_connection(self.server.upstream, timeout=TIMEOUT) as sock, sock.makefile("rb") as reader:
            sock.sendall(request.raw(without=(b"expect",)))
            sock.sendall(body)
            response = read_head(reader)
            while response is not None and response.first.split()[1].startswith("1"):
                response = read_head(reader)  # an interim answer to an Expect we did not forward
            if response is None:
                raise ConnectionError("upstream closed the connection without an answer")
            if truncate is not None:
                return self.truncated(response, reader, number, method, target, truncate)
            self.request.sendall(response.raw())
            answer = bytearray()

            def relay(data):
                self.request.sendall(data)
                if self.server.uploads_age is not None:
                    answer.extend(data)

            whole = copy_body(response, reader, relay, method)
        self.server.log(f"PASS {number} {method} {target} {response.first.split()[1]} conn={self.number}")
        if self.server.uploads_age is not None:
            self.track_upload(method, target, response.first.split()[1], bytes(answer))
        closing = not whole or "close" in (response.header("connection") or "").lower()
        return not closing and "close" not in (request.header("connection") or "").lower()

    # The multipart uploads started through this proxy and not yet ended, for ListMultipartUploads.
    def track_upload(self, method, target, status, answer):
        params = query_params(target)
        if method == "POST" and "uploads" in params and status == "200":
            found = re.search(rb"<UploadId>([^<]+)</UploadId>", answer)
            if found:
                bucket, key = bucket_and_key(target)
                with self.server.lock:
                    self.server.uploads[found.group(1).decode()] = (bucket, key, time.time())
        elif "uploadId" in params and (method == "DELETE" or (method == "POST" and status == "200")):
            with self.server.lock:
                self.server.uploads.pop(params["uploadId"], None)

    def truncated(self, response, reader, number, method, target, rule):
        body = bytearray()
        copy_body(response, reader, body.extend, method)
        if rule.kind == "lose":
            status = response.first.split()[1]
            self.server.log(f"FAULT lose {number} {method} {target} conn={self.number} status={status}")
            self.request.shutdown(socket.SHUT_RDWR)
            return False
        keep = rule.keep if rule.keep is not None else len(body) // 2
        keep = min(keep, max(len(body) - 1, 0))
        self.request.sendall(response.raw() + bytes(body[:keep]))
        self.server.log(f"FAULT truncate {number} {method} {target} conn={self.number} sent={keep} of={len(body)}")
        self.request.shutdown(socket.SHUT_RDWR)
        return False


def main():
    parser = argparse.ArgumentParser(description="fault-injecting HTTP proxy for tests (not an S3 server)")
    parser.add_argument("--upstream", required=True, help="http://HOST:PORT of the real endpoint")
    parser.add_argument("--port-file", required=True, help="where the listening port is written once ready")
    parser.add_argument("--log", required=True, help="one line per request: FAULT ... or PASS ...")
    parser.add_argument("--sigv4-secret", help="check every request's SigV4 signature with this secret key")
    parser.add_argument("--list-uploads-age", type=float,
                        help="answer ListMultipartUploads, uploads shown as started this many seconds earlier")
    parser.add_argument("rules", nargs="*")
    args = parser.parse_args()
    match = re.fullmatch(r"http://([^:/]+):(\d+)/?", args.upstream)
    if not match:
        parser.error(f"--upstream must be http://HOST:PORT, not {args.upstream!r}")
    try:
        rules = [Rule(text, index) for index, text in enumerate(args.rules)]
    except ValueError as error:
        parser.error(str(error))
    server = Proxy((match.group(1), int(match.group(2))), rules, args.log, args.sigv4_secret, args.list_uploads_age)
    temporary = args.port_file + ".tmp"
    with open(temporary, "w") as out:
        out.write(f"{server.server_address[1]}\n")
    os.rename(temporary, args.port_file)  # the file appears whole, once the socket listens
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
