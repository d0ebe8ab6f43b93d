#pragma once
// One S3 request at a time per call, over libcurl: SigV4 signing (CURLOPT_AWS_SIGV4, with the
// payload's SHA-256 sent as x-amz-content-sha256, which libcurl 7.88 then signs as given), TLS
// verification, keep-alive (finished handles go back to a pool with their open connections), and
// retries with exponential backoff. Bodies in both directions are in memory and bounded by the
// caller (a part, a range chunk, a listing page). Thread-safe.
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/storage.hpp"

namespace mysqlpitr::storage::s3 {

struct Request {
  const char* method = "GET";  // GET, HEAD, PUT, POST, DELETE
  std::string url{};
  std::vector<std::string> headers{};  // "Name: value"
  std::string_view body{};             // sent by PUT and POST
  std::optional<unsigned long long> expected_body{};  // a GET body of another length is cut: retried
  std::vector<long> accepted{};        // statuses returned to the caller instead of failing (404, 412, 501)
};

struct Response {
  long status = 0;
  std::string body;
  std::string etag;
  unsigned long long content_length = 0;
  std::time_t last_modified = 0;
};

class Client {
 public:
  explicit Client(const S3Options& options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Performs the request, retrying what classify() calls transient; throws a failure that begins
  // with `what` ("PUT s3://bucket/key part 3") after the last attempt.
  Response perform(const Request& request, const std::string& what);

 private:
  class Handle;
  Handle lease();
  Response attempt(void* curl, const Request& request, int& curl_code, char* curl_error);

  std::string user_;
  std::string secret_;
  std::string sigv4_;
  bool verify_tls_;
  std::string ca_file_;
  unsigned retries_;
  std::chrono::milliseconds retry_delay_;
  std::mutex mutex_;
  std::vector<void*> idle_;  // CURL* with their connection caches, ready for reuse
};

// Lowercase hex SHA-256 and base64 MD5 of a body, for x-amz-content-sha256 and Content-MD5.
std::string sha256_hex(std::string_view data);
std::string md5_base64(std::string_view data);

}  // namespace mysqlpitr::storage::s3
