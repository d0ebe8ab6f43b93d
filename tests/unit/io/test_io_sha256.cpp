#include <doctest/doctest.h>

#include <string>

#include "io/sha256.hpp"
#include "support/expect_error.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr;
using mysqlpitr::testing::TempDir;

TEST_CASE("SHA-256 matches the FIPS 180-2 test vectors, fed whole or in pieces") {
  io::Sha256 whole;
  whole.update("abc");
  CHECK(whole.hex_digest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  io::Sha256 pieces;
  pieces.update("abcdbcdecdefdefgefghfghighijhijkijkljklm");
  pieces.update("klmnlmnomnopnopq");
  CHECK(pieces.hex_digest() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("a file's digest gives its size and the hash of all its bytes, across read buffers") {
  TempDir dir;
  std::string content(3 * (1 << 20) + 17, 'a');
  std::string path = dir.write("big.bin", content);
  io::Sha256 expected;
  expected.update(content);
  io::FileDigest digest = io::digest_file(path);
  CHECK(digest.size == content.size());
  CHECK(digest.sha256 == expected.hex_digest());
  CHECK(io::digest_file(dir.write("empty", "")).sha256 ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("a missing file's digest is an error naming it") {
  TempDir dir;
  std::string missing = dir.file("nope.sql.gz");
  CHECK(testing::message_of([&] { io::digest_file(missing); }).find(missing) != std::string::npos);
}
