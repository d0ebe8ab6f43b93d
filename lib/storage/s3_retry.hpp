#pragma once
// Which failed S3 requests are worth another attempt, and how long to wait before it. Retried:
// network errors (refused, reset, timed out, a body cut short), HTTP 5xx, 429, and the throttling
// and timeout codes S3 sends with 400/403/503 (SlowDown, RequestTimeout, Throttling...). Not retried:
// what another attempt cannot change (403 AccessDenied, 404, a TLS certificate that does not verify).
#include <chrono>
#include <string_view>

namespace mysqlpitr::storage::s3 {

enum class Outcome { done, retry, fail };

// `curl_code` is libcurl's CURLcode (0: the exchange completed); `status` the HTTP status;
// `error_code` the <Code> of an S3 error document ("" when none; a 200 carrying one failed).
Outcome classify(int curl_code, long status, std::string_view error_code);

// Delay before retry number `attempt` (1 for the first retry): `first` doubled each time, capped at
// 20 s, with up to a quarter of random jitter so that parallel parts do not retry in lockstep.
std::chrono::milliseconds backoff(unsigned attempt, std::chrono::milliseconds first);

}  // namespace mysqlpitr::storage::s3
