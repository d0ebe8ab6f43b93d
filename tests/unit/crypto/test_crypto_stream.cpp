#include <doctest/doctest.h>

#include <string>

#include "crypto/decrypting_random_source.hpp"
#include "crypto/header.hpp"
#include "crypto/spool_cipher.hpp"
#include "crypto_support.hpp"
#include "support/expect_error.hpp"

using namespace mysqlpitr;
using testing::code_of;
using testing::decrypt;
using testing::encrypt;
using testing::message_of;
using testing::pattern;
using testing::ring_of;

namespace {
const std::string kHexKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";
constexpr uint32_t kChunk = 100;
constexpr size_t kSealed = kChunk + crypto::kChunkOverhead;
}  // namespace

TEST_CASE("every size round-trips, read in any slicing") {
  auto keys = ring_of(kHexKey);
  for (size_t size : {0, 1, 99, 100, 101, 200, 250, 1000}) {
    CAPTURE(size);
    std::string plain = pattern(size);
    std::string sealed = encrypt(plain, keys.key_for_writing(), kChunk);
    CHECK(crypto::looks_encrypted(sealed));
    CHECK(sealed.find(plain.substr(0, std::min<size_t>(size, 16))) == (size < 16 ? sealed.find(plain) : std::string::npos));
    CHECK(decrypt(sealed, keys) == plain);
    CHECK(decrypt(sealed, keys, 7) == plain);
    // Read by offset (crypto::DecryptingRandomSource), its plain size known from the stored size.
    CHECK(crypto::plain_size_of(crypto::parse_header(sealed, "f"), sealed.size(), "f") == size);
    for (size_t step : {1, 7, 100, 101, 4096}) CHECK(testing::read_by_offset(sealed, keys, step) == plain);
  }
}

TEST_CASE("the chunks do not depend on how the data is handed over, and a full last chunk is the final one") {
  auto keys = ring_of(kHexKey);
  for (size_t size : {100, 200, 250, 1000}) {
    std::string plain = pattern(size);
    size_t whole = encrypt(plain, keys.key_for_writing(), kChunk).size();
    CHECK(whole == crypto::kHeaderBytes + (size + kChunk - 1) / kChunk * crypto::kChunkOverhead + size);
    for (size_t piece : {1, 7, 99, 100, 101, 300}) {
      CAPTURE(size);
      CAPTURE(piece);
      std::string sealed;
      crypto::EncryptingSink sink([&](std::string_view data) { sealed.append(data); }, keys.key_for_writing(), kChunk);
      for (size_t at = 0; at < size; at += piece) sink.write(std::string_view(plain).substr(at, piece));
      sink.finish();
      CHECK(sealed.size() == whole);
      CHECK(decrypt(sealed, keys) == plain);
    }
  }
}

TEST_CASE("the spool cipher enciphers at any offset, in any slicing, and deciphers back") {
  crypto::SpoolCipher cipher;
  std::string plain = pattern(1000);
  std::string whole = plain;
  cipher.apply(0, whole.data(), whole.size());
  CHECK(whole != plain);
  CHECK(whole.find(plain.substr(0, 16)) == std::string::npos);
  for (size_t piece : {1, 5, 63, 64, 65, 130}) {
    CAPTURE(piece);
    std::string sliced = plain;
    for (size_t at = 0; at < sliced.size(); at += piece)
      cipher.apply(at, sliced.data() + at, std::min(piece, sliced.size() - at));
    CHECK(sliced == whole);
    cipher.apply(0, sliced.data(), sliced.size());
    CHECK(sliced == plain);
  }
  crypto::SpoolCipher other;
  std::string theirs = plain;
  other.apply(0, theirs.data(), theirs.size());
  CHECK(theirs != whole);  // a key of its own each
}

TEST_CASE("two encryptions of the same data differ (a fresh stream header each time)") {
  auto keys = ring_of(kHexKey);
  std::string plain = pattern(300);
  CHECK(encrypt(plain, keys.key_for_writing(), kChunk) != encrypt(plain, keys.key_for_writing(), kChunk));
}

TEST_CASE("a flipped bit anywhere is refused, never delivered") {
  auto keys = ring_of(kHexKey);
  std::string sealed = encrypt(pattern(250), keys.key_for_writing(), kChunk);
  for (size_t at = 0; at < sealed.size(); ++at) {
    CAPTURE(at);
    std::string doctored = sealed;
    doctored[at] = static_cast<char>(doctored[at] ^ 0x01);
    CHECK(code_of([&] { decrypt(doctored, keys); }) != ExitCode::ok);
  }
}

TEST_CASE("a file cut at a chunk boundary is refused as truncated") {
  auto keys = ring_of(kHexKey);
  std::string sealed = encrypt(pattern(250), keys.key_for_writing(), kChunk);
  REQUIRE(sealed.size() == crypto::kHeaderBytes + 2 * kSealed + 50 + crypto::kChunkOverhead);
  for (size_t chunks : {0, 1, 2}) {
    std::string cut = sealed.substr(0, crypto::kHeaderBytes + chunks * kSealed);
    CAPTURE(chunks);
    CHECK(code_of([&] { decrypt(cut, keys); }) == ExitCode::failed);
    CHECK(message_of([&] { decrypt(cut, keys); }).find("truncated") != std::string::npos);
  }
  CHECK(message_of([&] { decrypt(sealed.substr(0, sealed.size() - 5), keys); }).find("does not authenticate") !=
        std::string::npos);
  CHECK(message_of([&] { decrypt(sealed.substr(0, 40), keys); }).find("header is cut") != std::string::npos);
}

TEST_CASE("swapped, repeated or dropped chunks are refused") {
  auto keys = ring_of(kHexKey);
  std::string sealed = encrypt(pattern(350), keys.key_for_writing(), kChunk);
  std::string header = sealed.substr(0, crypto::kHeaderBytes);
  auto chunk = [&](size_t n) { return sealed.substr(crypto::kHeaderBytes + n * kSealed, kSealed); };
  std::string tail = sealed.substr(crypto::kHeaderBytes + 3 * kSealed);
  CHECK(decrypt(header + chunk(0) + chunk(1) + chunk(2) + tail, keys) == pattern(350));
  CHECK(code_of([&] { decrypt(header + chunk(1) + chunk(0) + chunk(2) + tail, keys); }) == ExitCode::failed);
  CHECK(code_of([&] { decrypt(header + chunk(0) + chunk(0) + chunk(2) + tail, keys); }) == ExitCode::failed);
  CHECK(code_of([&] { decrypt(header + chunk(0) + chunk(2) + tail, keys); }) == ExitCode::failed);
  CHECK(code_of([&] { decrypt(sealed + "x", keys); }) == ExitCode::failed);
  CHECK(code_of([&] { decrypt(sealed + sealed, keys); }) == ExitCode::failed);
}

TEST_CASE("a chunk from another file encrypted with the same key is refused") {
  auto keys = ring_of(kHexKey);
  std::string one = encrypt(pattern(250), keys.key_for_writing(), kChunk);
  std::string two = encrypt(pattern(250), keys.key_for_writing(), kChunk);
  std::string mixed = one.substr(0, crypto::kHeaderBytes + kSealed) + two.substr(crypto::kHeaderBytes + kSealed);
  CHECK(code_of([&] { decrypt(mixed, keys); }) == ExitCode::failed);
}

TEST_CASE("the wrong key is refused before any byte, naming the key id the file needs") {
  auto right = ring_of(kHexKey);
  std::string sealed = encrypt(pattern(250), right.key_for_writing(), kChunk);
  std::string needed = crypto::key_id_text(right.key_for_writing().id());
  auto wrong = ring_of(std::string(64, 'f'), "/etc/mysqlpitr/other.key");
  CHECK(code_of([&] { decrypt(sealed, wrong); }) == ExitCode::precondition);
  std::string message = message_of([&] { decrypt(sealed, wrong); });
  CHECK(message.find(needed) != std::string::npos);
  CHECK(message.find("/etc/mysqlpitr/other.key") != std::string::npos);
  CHECK(message.find("ffff") == std::string::npos);  // never the key itself
}

TEST_CASE("an old key stays readable after a rotation; the first key file writes") {
  std::vector<crypto::KeyFile> old_only;
  old_only.push_back(crypto::KeyFile::from_contents("old.key", kHexKey));
  crypto::KeyRing before(std::move(old_only));
  std::string old_file = encrypt(pattern(120), before.key_for_writing(), kChunk);

  std::vector<crypto::KeyFile> rotated;
  rotated.push_back(crypto::KeyFile::from_contents("new.key", std::string(64, 'e')));
  rotated.push_back(crypto::KeyFile::from_contents("old.key", kHexKey));
  crypto::KeyRing after(std::move(rotated));
  CHECK(decrypt(old_file, after) == pattern(120));
  std::string new_file = encrypt(pattern(120), after.key_for_writing(), kChunk);
  CHECK(code_of([&] { decrypt(new_file, before); }) == ExitCode::precondition);
  CHECK(decrypt(new_file, after) == pattern(120));
}

TEST_CASE("a doctored chunk size or derivation cost in the header is refused") {
  auto keys = ring_of(kHexKey);
  std::string sealed = encrypt(pattern(250), keys.key_for_writing(), kChunk);
  std::string huge_chunk = sealed;
  huge_chunk[15] = '\x7f';
  CHECK(message_of([&] { decrypt(huge_chunk, keys); }).find("chunk size") != std::string::npos);
  std::string version = sealed;
  version[8] = 2;
  CHECK(message_of([&] { decrypt(version, keys); }).find("version 2") != std::string::npos);
}
