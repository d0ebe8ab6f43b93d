#include <doctest/doctest.h>

#include <curl/curl.h>

#include <chrono>

#include "storage/s3_retry.hpp"
#include "storage/storage.hpp"
#include "support/expect_error.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::storage::s3;
using std::chrono::milliseconds;

TEST_CASE("transient S3 failures are retried, the others fail at once") {
  CHECK(classify(CURLE_OK, 200, "") == Outcome::done);
  CHECK(classify(CURLE_OK, 204, "") == Outcome::done);
  for (long status : {500L, 502L, 503L, 504L, 429L, 408L}) CHECK(classify(CURLE_OK, status, "") == Outcome::retry);
  CHECK(classify(CURLE_OK, 503, "SlowDown") == Outcome::retry);
  CHECK(classify(CURLE_OK, 400, "RequestTimeout") == Outcome::retry);
  CHECK(classify(CURLE_OK, 400, "ThrottlingException") == Outcome::retry);
  // CompleteMultipartUpload can answer 200 with an <Error> body.
  CHECK(classify(CURLE_OK, 200, "InternalError") == Outcome::retry);
  CHECK(classify(CURLE_OK, 200, "InvalidPart") == Outcome::fail);
  for (int code : {CURLE_COULDNT_CONNECT, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE,
                   CURLE_GOT_NOTHING, CURLE_OPERATION_TIMEDOUT})
    CHECK(classify(code, 0, "") == Outcome::retry);
  CHECK(classify(CURLE_OK, 403, "AccessDenied") == Outcome::fail);
  CHECK(classify(CURLE_OK, 403, "SignatureDoesNotMatch") == Outcome::fail);
  CHECK(classify(CURLE_OK, 404, "NoSuchKey") == Outcome::fail);
  CHECK(classify(CURLE_OK, 400, "BadDigest") == Outcome::fail);
  CHECK(classify(CURLE_OK, 501, "NotImplemented") == Outcome::fail);
  CHECK(classify(CURLE_PEER_FAILED_VERIFICATION, 0, "") == Outcome::fail);
}

TEST_CASE("backoff doubles from the first delay, with bounded jitter and a cap") {
  for (unsigned attempt = 1; attempt <= 4; ++attempt) {
    long long base = 100LL << (attempt - 1);
    auto delay = backoff(attempt, milliseconds(100)).count();
    CHECK(delay >= base);
    CHECK(delay <= base + base / 4);
  }
  CHECK(backoff(40, milliseconds(100)).count() <= 25000);
}

TEST_CASE("open_s3 refuses options that cannot work as usage errors") {
  storage::S3Options options;
  options.endpoint = "http://127.0.0.1:9";
  CHECK(testing::code_of([&] { storage::open_s3(options); }) == ExitCode::usage);  // no bucket
  options.bucket = "b";
  options.part_size = 1 << 20;
  CHECK(testing::code_of([&] { storage::open_s3(options); }) == ExitCode::usage);
  options.part_size = 8 << 20;
  options.upload_jobs = 0;
  CHECK(testing::code_of([&] { storage::open_s3(options); }) == ExitCode::usage);
  options.upload_jobs = 2;
  options.access_key = "AKIA";
  CHECK(testing::code_of([&] { storage::open_s3(options); }) == ExitCode::usage);  // no secret
}

TEST_CASE("an unreachable server is retried, then the error names the object and never the secret") {
  storage::S3Options options;
  options.endpoint = "http://127.0.0.1:9";  // discard port: nothing listens
  options.bucket = "bkt";
  options.prefix = "db1";
  options.access_key = "AKIAEXAMPLE";
  options.secret_key = "wJalrXUtnFEMI-very-secret";
  options.retries = 2;
  options.retry_delay = milliseconds(1);
  auto store = storage::open_s3(options);
  std::string message = testing::message_of([&] { store->stat("pitr/base.sql.gz"); });
  CHECK(message.find("s3://bkt/db1/pitr/base.sql.gz") != std::string::npos);
  CHECK(message.find("after 3 attempts") != std::string::npos);
  CHECK(message.find("very-secret") == std::string::npos);
  CHECK(testing::code_of([&] { store->stat("pitr/base.sql.gz"); }) == ExitCode::failed);
}
