#include "storage/s3_client.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>

#include "core/error.hpp"
#include "io/sha256.hpp"
#include "storage/s3_retry.hpp"
#include "storage/s3_xml.hpp"

namespace mysqlpitr::storage::s3 {
namespace {

struct Upload {
  std::string_view body;
  size_t offset = 0;
};

size_t read_body(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  size_t n = std::min(size * count, upload->body.size() - upload->offset);
  std::memcpy(buffer, upload->body.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

size_t write_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t read_header(char* data, size_t size, size_t count, void* user) {
  std::string_view line(data, size * count);
  constexpr std::string_view kEtag = "etag:";
  if (line.size() > kEtag.size() && strncasecmp(line.data(), kEtag.data(), kEtag.size()) == 0) {
    line.remove_prefix(kEtag.size());
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ')) line.remove_suffix(1);
    *static_cast<std::string*>(user) = std::string(line);
  }
  return size * count;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

const char* error_text(int curl_code, const char* detail) {
  return detail[0] ? detail : curl_easy_strerror(static_cast<CURLcode>(curl_code));
}

}  // namespace

// A CURL* lent by the pool for one request and given back (with its live connection) after.
class Client::Handle {
 public:
  Handle(Client& client, CURL* curl) : client_(client), curl_(curl) {}
  Handle(Handle&& other) noexcept : client_(other.client_), curl_(std::exchange(other.curl_, nullptr)) {}
  ~Handle() {
    if (!curl_) return;
    std::lock_guard lock(client_.mutex_);
    client_.idle_.push_back(curl_);
  }
  CURL* get() const { return curl_; }

 private:
  Client& client_;
  CURL* curl_;
};

Client::Client(const S3Options& options)
    : user_(options.access_key),
      secret_(options.secret_key),
      sigv4_("aws:amz:" + options.region + ":s3"),
      verify_tls_(options.verify_tls),
      ca_file_(options.ca_file),
      retries_(options.retries),
      retry_delay_(options.retry_delay) {
  // libcurl's global set-up is not thread-safe: done once, before any handle exists.
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Client::~Client() {
  for (void* curl : idle_) curl_easy_cleanup(static_cast<CURL*>(curl));
}

Client::Handle Client::lease() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      CURL* curl = static_cast<CURL*>(idle_.back());
      idle_.pop_back();
      return Handle(*this, curl);
    }
  }
  CURL* curl = curl_easy_init();
  if (!curl) throw failure("cannot start libcurl");
  return Handle(*this, curl);
}

Response Client::attempt(void* handle, const Request& request, int& curl_code, char* curl_error) {
  CURL* curl = static_cast<CURL*>(handle);
  curl_easy_reset(curl);  // keeps the connection cache: the next request reuses the connection
  Response response;
  Upload upload{request.body};
  std::string method = request.method;
  curl_error[0] = '\0';
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 15L);
  // A transfer below 1 KiB/s for 60 s is stalled: fail it and let the retry loop try again.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, verify_tls_ ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, verify_tls_ ? 2L : 0L);
  if (!ca_file_.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file_.c_str());
  if (!user_.empty()) {
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4_.c_str());
    curl_easy_setopt(curl, CURLOPT_USERNAME, user_.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, secret_.c_str());
  }
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&](const std::string& header) {
    curl_slist* grown = curl_slist_append(headers.get(), header.c_str());
    if (!grown) throw failure("out of memory building an S3 request");
    (void)headers.release();
    headers.reset(grown);
  };
  for (const auto& header : request.headers) add_header(header);
  add_header("x-amz-content-sha256: " + sha256_hex(request.body));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  // No 100-continue round trip before each part, but not by removing the header with "Expect:":
  // libcurl 7.88 then signs an "expect" header it does not send (curl issue 11664), a signature
  // S3 services refuse. libcurl's own Expect header is not signed (as AWS's SDKs never sign it);
  // the body follows it after 1 ms instead of waiting for the server's 100 Continue.
  curl_easy_setopt(curl, CURLOPT_EXPECT_100_TIMEOUT_MS, 1L);
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_body);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method);
  }
  if (request.expected_body) response.body.reserve(static_cast<size_t>(*request.expected_body));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, read_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.etag);
  curl_easy_setopt(curl, CURLOPT_FILETIME, 1L);
  curl_code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  curl_off_t length = -1, filetime = -1;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  curl_easy_getinfo(curl, CURLINFO_FILETIME_T, &filetime);
  response.content_length = length > 0 ? static_cast<unsigned long long>(length) : 0;
  response.last_modified = filetime > 0 ? static_cast<std::time_t>(filetime) : 0;
  return response;
}

Response Client::perform(const Request& request, const std::string& what) {
  char curl_error[CURL_ERROR_SIZE];
  for (unsigned attempt_number = 0;; ++attempt_number) {
    if (attempt_number > 0) std::this_thread::sleep_for(backoff(attempt_number, retry_delay_));
    int curl_code = CURLE_OK;
    Response response;
    {
      Handle handle = lease();
      response = attempt(handle.get(), request, curl_code, curl_error);
    }
    // Only an answer that is not a success, or a POST's (CompleteMultipartUpload can fail with 200),
    // is an S3 document: a GET's 200 body is the object, which may well contain "<Error>".
    bool may_be_error = response.status >= 300 || std::string_view(request.method) == "POST";
    auto error = curl_code == CURLE_OK && may_be_error ? parse_error(response.body) : std::nullopt;
    std::string code = error ? error->code : "";
    bool accepted = std::find(request.accepted.begin(), request.accepted.end(), response.status) != request.accepted.end();
    Outcome outcome = accepted && curl_code == CURLE_OK ? Outcome::done : classify(curl_code, response.status, code);
    bool cut = outcome == Outcome::done && !accepted && request.expected_body &&
               response.body.size() != *request.expected_body;
    if (cut) outcome = Outcome::retry;
    if (outcome == Outcome::done) return response;
    std::string reason;
    if (curl_code != CURLE_OK) reason = error_text(curl_code, curl_error);
    else if (cut) reason = fmt::format("body cut at {} of {} bytes", response.body.size(), *request.expected_body);
    else reason = fmt::format("HTTP {}{}{}", response.status, code.empty() ? "" : " " + code,
                              error && !error->message.empty() ? " (" + error->message + ")" : "");
    if (outcome == Outcome::fail || attempt_number >= retries_)
      throw failure("{} failed: {}{}", what, reason,
                    attempt_number > 0 ? fmt::format(" (after {} attempts)", attempt_number + 1) : "");
  }
}

std::string sha256_hex(std::string_view data) {
  io::Sha256 digest;
  digest.update(data);
  return digest.hex_digest();
}

std::string md5_base64(std::string_view data) {
  unsigned char md5[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), md5, &length, EVP_md5(), nullptr) != 1) throw failure("cannot compute MD5");
  unsigned char encoded[64];
  int size = EVP_EncodeBlock(encoded, md5, static_cast<int>(length));
  return std::string(reinterpret_cast<char*>(encoded), static_cast<size_t>(size));
}

}  // namespace mysqlpitr::storage::s3
