#include <doctest/doctest.h>

#include <string>

#include "crypto/open_input.hpp"
#include "crypto_support.hpp"
#include "io/compressed_writer.hpp"
#include "io/sha256.hpp"
#include "support/expect_error.hpp"

using namespace mysqlpitr;
using testing::code_of;
using testing::message_of;
using testing::ring_of;
using testing::TrickleSource;

namespace {
const std::string kKey(64, 'c');

std::string read_all(io::InputStream& stream) {
  std::string out;
  char buffer[333];
  while (size_t got = stream.read(buffer, sizeof buffer)) out.append(buffer, got);
  return out;
}

// SQL compressed as the dump writer compresses it, then encrypted around the compressed bytes.
std::string gzip_then_encrypt(const std::string& sql, const crypto::Key& key) {
  std::string sealed;
  crypto::EncryptingSink encrypting([&](std::string_view data) { sealed.append(data); }, key, 1000);
  io::CompressorPool pool(1);
  io::CompressedWriter writer(encrypting.sink(), io::Compression::gzip, 6, pool, 4096);
  writer.write(sql);
  writer.finish();
  encrypting.finish();
  return sealed;
}

std::string sha256_hex(const std::string& data) {
  io::Sha256 digest;
  digest.update(data);
  return digest.hex_digest();
}
}  // namespace

TEST_CASE("an encrypted gzip dump reads back as its SQL, hashed as stored") {
  auto keys = ring_of(kKey);
  std::string sql;
  for (int i = 0; i < 5000; ++i) sql += "INSERT INTO t VALUES (" + std::to_string(i) + ");\n";
  std::string stored = gzip_then_encrypt(sql, keys.key_for_writing());
  io::Sha256 digest;
  auto stream = crypto::open_input(std::make_unique<TrickleSource>(stored, 3), "shop.sql.gz.enc", &keys, &digest);
  CHECK(stream->compression() == io::Compression::gzip);
  CHECK(read_all(*stream) == sql);
  CHECK(digest.hex_digest() == sha256_hex(stored));
}

TEST_CASE("a plain file is read as before, with or without a key configured") {
  auto keys = ring_of(kKey);
  io::Sha256 digest;
  auto stream = crypto::open_input(std::make_unique<TrickleSource>("SELECT 1;\n", 1), "old.sql", &keys, &digest);
  CHECK(read_all(*stream) == "SELECT 1;\n");
  CHECK(digest.hex_digest() == sha256_hex("SELECT 1;\n"));
  auto tiny = crypto::open_input(std::make_unique<TrickleSource>("MPI", 1), "tiny.sql", nullptr);
  CHECK(read_all(*tiny) == "MPI");
}

TEST_CASE("an encrypted file without a configured key names the key it needs") {
  auto keys = ring_of(kKey);
  std::string stored = gzip_then_encrypt("SELECT 1;\n", keys.key_for_writing());
  std::string id = crypto::key_id_text(keys.key_for_writing().id());
  auto open = [&] { crypto::open_input(std::make_unique<TrickleSource>(stored, 5), "shop.sql.gz.enc", nullptr); };
  CHECK(code_of(open) == ExitCode::precondition);
  CHECK(message_of(open).find(id) != std::string::npos);
  CHECK(message_of(open).find("encryption.key_file") != std::string::npos);
}

TEST_CASE("a tampered encrypted dump fails, its rows never all delivered") {
  auto keys = ring_of(kKey);
  std::string sql;
  for (int i = 0; i < 20000; ++i) sql += std::to_string(i * 7919 % 10007) + ',';
  std::string stored = gzip_then_encrypt(sql, keys.key_for_writing());
  stored[stored.size() / 2] ^= 0x20;
  std::string delivered;
  CHECK(code_of([&] {
          auto stream = crypto::open_input(std::make_unique<TrickleSource>(stored, 64), "shop.sql.gz.enc", &keys);
          delivered = read_all(*stream);
        }) == ExitCode::failed);
  CHECK(delivered.empty());
}
