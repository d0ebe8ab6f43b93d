#include <doctest/doctest.h>

#include <fmt/format.h>

#include "mongo/names.hpp"
#include "mongo/sha1.hpp"

using namespace mysqlpitr::mongo;

TEST_CASE("collection names are escaped like Go's url.QueryEscape") {
  CHECK(query_escape("orders") == "orders");
  CHECK(query_escape("a.b-c_d~e") == "a.b-c_d~e");
  CHECK(query_escape("df/") == "df%2F");
  CHECK(query_escape("with space") == "with+space");
  CHECK(query_escape("100%$x") == "100%25%24x");
  CHECK(query_escape("caf\xC3\xA9") == "caf%C3%A9");
}

TEST_CASE("escaped names unescape back, and malformed escapes are refused") {
  for (std::string name : {"df/", "with space", "100%$x", "caf\xC3\xA9", "a+b"}) {
    CHECK(query_unescape(query_escape(name)) == name);
  }
  CHECK(query_unescape("a+b") == "a b");
  CHECK_FALSE(query_unescape("bad%2"));
  CHECK_FALSE(query_unescape("bad%zz"));
}

TEST_CASE("sha1 matches the FIPS test vectors") {
  auto hex = [](auto digest) {
    std::string out;
    for (auto byte : digest) out += fmt::format("{:02x}", byte);
    return out;
  };
  CHECK(hex(sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(hex(sha1("")) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(hex(sha1(std::string(1000, 'a'))) == "291e9a6c66994949b57ba5e650361e98fc36b1ba");
}

TEST_CASE("over-long names are cut to 208 escaped bytes plus %24 and the base64url SHA-1") {
  std::string name(300, 'x');
  std::string stem = collection_file_stem(name);
  CHECK(stem.size() == max_escaped_name);
  CHECK(stem.substr(0, 208) == std::string(208, 'x'));
  CHECK(stem.substr(208, 3) == "%24");
  // base64url without padding of SHA-1 of the raw name (computed independently with Python).
  CHECK(stem.substr(211) == "Av1oJTBx-JVxjI1B9_9mWr4aYpA");
  CHECK(is_truncated_stem(stem));
  CHECK_FALSE(is_truncated_stem(collection_file_stem(std::string(238, 'y'))));
  CHECK(collection_file_stem(std::string(238, 'y')) == std::string(238, 'y'));
  // Escaping counts: 80 slashes escape to 240 bytes, over the limit.
  CHECK(collection_file_stem(std::string(80, '/')).size() == max_escaped_name);
}

TEST_CASE("admin, config and local are the system databases") {
  CHECK(is_system_database("admin"));
  CHECK(is_system_database("config"));
  CHECK(is_system_database("local"));
  CHECK_FALSE(is_system_database("Admin"));
  CHECK_FALSE(is_system_database("shop"));
}
