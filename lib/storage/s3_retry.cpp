#include "storage/s3_retry.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <random>

namespace mysqlpitr::storage::s3 {

Outcome classify(int curl_code, long status, std::string_view error_code) {
  if (curl_code != CURLE_OK) {
    switch (curl_code) {
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_CONNECT:
      case CURLE_OPERATION_TIMEDOUT:
      case CURLE_SEND_ERROR:
      case CURLE_RECV_ERROR:
      case CURLE_PARTIAL_FILE:
      case CURLE_GOT_NOTHING:
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_HTTP2:
      case CURLE_HTTP2_STREAM:
      case CURLE_WEIRD_SERVER_REPLY:
      case CURLE_READ_ERROR:
      case CURLE_AGAIN:
        return Outcome::retry;
      default:
        return Outcome::fail;
    }
  }
  static constexpr std::string_view kTransientCodes[] = {
      "SlowDown", "RequestTimeout", "Throttling", "ThrottlingException", "RequestThrottled",
      "InternalError", "ServiceUnavailable", "RequestTimeTooSkewed", "TooManyRequests"};
  if (std::find(std::begin(kTransientCodes), std::end(kTransientCodes), error_code) != std::end(kTransientCodes))
    return Outcome::retry;
  if (status >= 200 && status < 300) return error_code.empty() ? Outcome::done : Outcome::fail;
  if (status == 408 || status == 429 || (status >= 500 && status != 501)) return Outcome::retry;
  return Outcome::fail;
}

std::chrono::milliseconds backoff(unsigned attempt, std::chrono::milliseconds first) {
  long long base = first.count();
  for (unsigned i = 1; i < attempt && base < 20000; ++i) base *= 2;
  base = std::min<long long>(base, 20000);
  std::random_device seed;
  std::uniform_int_distribution<long long> jitter(0, base / 4);
  return std::chrono::milliseconds(base + jitter(seed));
}

}  // namespace mysqlpitr::storage::s3
