#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "crypto/decrypting_random_source.hpp"
#include "crypto/header.hpp"
#include "crypto_support.hpp"
#include "support/expect_error.hpp"

using namespace mysqlpitr;
using testing::code_of;
using testing::encrypt;
using testing::message_of;
using testing::pattern;
using testing::ring_of;

namespace {
const std::string kHexKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";
const std::string kOtherKey = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100\n";
constexpr uint32_t kChunk = 100;
constexpr size_t kSealed = kChunk + crypto::kChunkOverhead;

std::unique_ptr<io::RandomSource> open(const std::string& stored, crypto::KeyRing* keys, unsigned long long* read = nullptr) {
  return crypto::open_random(std::make_unique<testing::StringSource>(stored, read), "mysql-bin.000007", keys);
}

}  // namespace

TEST_CASE("reads at any offset, backwards too, give the right bytes; forward reads decrypt each chunk once") {
  auto keys = ring_of(kHexKey);
  std::string plain = pattern(1000);
  std::string stored = encrypt(plain, keys.key_for_writing(), kChunk);
  unsigned long long read = 0;
  auto source = open(stored, &keys, &read);
  read = 0;
  CHECK(testing::read_all(*source, 33) == plain);
  CHECK(read <= stored.size());
  char buffer[64];
  for (unsigned long long offset : {950ULL, 3ULL, 499ULL, 500ULL, 101ULL, 999ULL, 0ULL}) {
    CAPTURE(offset);
    size_t got = source->read_at(offset, buffer, sizeof buffer);
    CHECK(got == std::min<size_t>(sizeof buffer, 1000 - offset));
    CHECK(std::string(buffer, got) == plain.substr(offset, got));
  }
  CHECK(source->read_at(1000, buffer, sizeof buffer) == 0);
  CHECK(source->read_at(5000, buffer, sizeof buffer) == 0);
}

TEST_CASE("a plain file is given as it is; an encrypted one without the key names the key id needed") {
  auto keys = ring_of(kHexKey);
  std::string plain = "\xfe" "bin and the rest of a binlog";
  auto source = open(plain, &keys);
  CHECK(source->size() == plain.size());
  CHECK(testing::read_all(*source, 5) == plain);
  CHECK(testing::read_all(*open(plain, nullptr), 5) == plain);

  std::string stored = encrypt(pattern(300), keys.key_for_writing(), kChunk);
  std::string id = crypto::key_id_text(keys.key_for_writing().id());
  CHECK(code_of([&] { open(stored, nullptr); }) == ExitCode::precondition);
  CHECK(message_of([&] { open(stored, nullptr); }).find(id) != std::string::npos);
  auto other = ring_of(kOtherKey, "/etc/mysqlpitr/other.key");
  CHECK(code_of([&] { open(stored, &other); }) == ExitCode::precondition);
  CHECK(message_of([&] { open(stored, &other); }).find(id) != std::string::npos);
}

TEST_CASE("a tampered file is refused when the damaged chunk is read, never given as shorter data") {
  auto keys = ring_of(kHexKey);
  std::string plain = pattern(1000);  // 10 whole chunks
  std::string stored = encrypt(plain, keys.key_for_writing(), kChunk);
  auto refused = [&](const std::string& doctored) {
    return code_of([&] {
      auto source = open(doctored, &keys);
      testing::read_all(*source, 64);
    });
  };
  std::string flipped = stored;
  flipped[crypto::kHeaderBytes + 3 * kSealed + 10] ^= 1;
  CHECK(refused(flipped) == ExitCode::failed);

  std::string cut = stored.substr(0, crypto::kHeaderBytes + 9 * kSealed);  // at a chunk boundary
  CHECK(refused(cut) == ExitCode::failed);
  CHECK(message_of([&] { testing::read_all(*open(cut, &keys), 64); }).find("truncated") != std::string::npos);

  std::string swapped = stored;
  std::memcpy(swapped.data() + crypto::kHeaderBytes + 2 * kSealed, stored.data() + crypto::kHeaderBytes + 4 * kSealed, kSealed);
  std::memcpy(swapped.data() + crypto::kHeaderBytes + 4 * kSealed, stored.data() + crypto::kHeaderBytes + 2 * kSealed, kSealed);
  CHECK(refused(swapped) == ExitCode::failed);

  std::string extended = stored + stored.substr(crypto::kHeaderBytes, kSealed);
  CHECK(refused(extended) == ExitCode::failed);

  std::string doctored_header = stored;
  doctored_header[13] ^= 1;  // the chunk size
  CHECK(refused(doctored_header) == ExitCode::failed);

  CHECK(refused(stored.substr(0, crypto::kHeaderBytes + 5)) == ExitCode::failed);
  CHECK(refused(stored) == ExitCode::ok);
}

TEST_CASE("a file cut inside its last chunk is refused, never read as a shorter one") {
  auto keys = ring_of(kHexKey);
  for (size_t size : {0, 1, 250, 1000}) {
    std::string stored = encrypt(pattern(size), keys.key_for_writing(), kChunk);
    // Every length between the header and the whole file but the whole one is refused at once or
    // when read to its end; none reads as a shorter plain file.
    for (size_t cut = crypto::kHeaderBytes; cut < stored.size(); ++cut) {
      CAPTURE(size);
      CAPTURE(cut);
      CHECK(code_of([&] { testing::read_all(*open(stored.substr(0, cut), &keys), 64); }) == ExitCode::failed);
    }
  }
  // A header and 17 bytes of anything: an "empty file" that never authenticated.
  std::string stored = encrypt("", keys.key_for_writing(), kChunk);
  std::string forged = stored.substr(0, crypto::kHeaderBytes) + std::string(crypto::kChunkOverhead, 'x');
  CHECK(code_of([&] { testing::read_all(*open(forged, &keys), 64); }) == ExitCode::failed);
  CHECK(testing::read_all(*open(stored, &keys), 64).empty());
}

TEST_CASE("once a chunk is refused, no later read gives out its bytes") {
  auto keys = ring_of(kHexKey);
  std::string stored = encrypt(pattern(250), keys.key_for_writing(), kChunk);
  std::string cut = stored.substr(0, crypto::kHeaderBytes + 2 * kSealed);  // the final chunk gone
  auto source = open(cut, &keys);
  char buffer[300];
  CHECK(code_of([&] { source->read_at(150, buffer, 50); }) == ExitCode::failed);
  CHECK(code_of([&] { source->read_at(150, buffer, 50); }) == ExitCode::failed);
  CHECK(code_of([&] { source->read_at(0, buffer, 10); }) == ExitCode::failed);
}
