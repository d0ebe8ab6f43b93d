#include <doctest/doctest.h>

#include "storage/s3_url.hpp"
#include "support/expect_error.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::storage::s3;

TEST_CASE("s3 keys are percent-encoded in SigV4's canonical form, hostile names included") {
  CHECK(uri_encode("pitr/shop-base_2026-11-23.sql.gz", true) == "pitr/shop-base_2026-11-23.sql.gz");
  CHECK(uri_encode("a b+c%d#e?f&g=h", true) == "a%20b%2Bc%25d%23e%3Ff%26g%3Dh");
  CHECK(uri_encode("caf\xc3\xa9/\xe2\x82\xac", true) == "caf%C3%A9/%E2%82%AC");
  CHECK(uri_encode("a/b", false) == "a%2Fb");
  CHECK(uri_encode("~-_.", false) == "~-_.");
  CHECK(uri_decode("a%20b%2Bc%25d+%e2%82%ac") == "a b+c%d+\xe2\x82\xac");
  CHECK(uri_decode("100%") == "100%");
  CHECK(uri_decode("%zz%4") == "%zz%4");
}

TEST_CASE("the query string is sorted and every parameter has '=' (libcurl 7.88 signs it as sent)") {
  CHECK(canonical_query({{"prefix", "a b"}, {"list-type", "2"}, {"continuation-token", "x+/="}}) ==
        "continuation-token=x%2B%2F%3D&list-type=2&prefix=a%20b");
  CHECK(canonical_query({{"uploads", ""}}) == "uploads=");
  CHECK(canonical_query({{"uploadId", "u"}, {"partNumber", "10"}}) == "partNumber=10&uploadId=u");
}

TEST_CASE("object URLs: path-style and virtual-host, under the prefix") {
  storage::S3Options options;
  options.endpoint = "http://127.0.0.1:9000/";
  options.bucket = "backups";
  options.prefix = "/db1/";
  Location path_style(options);
  CHECK(path_style.object_key("pitr/x y") == "db1/pitr/x y");
  CHECK(path_style.object_url(path_style.object_key("pitr/x y")) == "http://127.0.0.1:9000/backups/db1/pitr/x%20y");
  CHECK(path_style.bucket_url({{"list-type", "2"}}) == "http://127.0.0.1:9000/backups/?list-type=2");
  CHECK(path_style.describe("pitr/x y") == "s3://backups/db1/pitr/x y");
  CHECK(path_style.storage_key("db1/pitr/x") == "pitr/x");

  options.path_style = false;
  options.endpoint = "";
  options.region = "eu-west-1";
  options.prefix = "";
  Location virtual_host(options);
  CHECK(virtual_host.object_url("k", {{"uploads", ""}}) == "https://backups.s3.eu-west-1.amazonaws.com/k?uploads=");
}

TEST_CASE("an endpoint that is not scheme://host[:port] is refused as a usage error, credentials never echoed") {
  storage::S3Options options;
  options.bucket = "b";
  for (const char* endpoint : {"127.0.0.1:9000", "ftp://host", "http://", "http://user:secret@host", "http://host/path"}) {
    CAPTURE(endpoint);
    options.endpoint = endpoint;
    CHECK(testing::code_of([&] { Location location(options); }) == ExitCode::usage);
  }
}
