#include <doctest/doctest.h>

#include <sys/stat.h>

#include <string>

#include "crypto_support.hpp"
#include "support/expect_error.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr;
using testing::code_of;
using testing::decrypt;
using testing::encrypt;
using testing::message_of;
using testing::ring_of;
using testing::TempDir;

TEST_CASE("a key file holds 32 raw bytes, 64 hex digits, or a passphrase") {
  std::string raw(32, '\x01');
  std::string hex;
  for (int i = 0; i < 32; ++i) hex += "01";
  auto from_raw = crypto::KeyFile::from_contents("raw.key", raw);
  auto from_hex = crypto::KeyFile::from_contents("hex.key", hex + "\n");
  CHECK_FALSE(from_raw.is_passphrase());
  CHECK_FALSE(from_hex.is_passphrase());
  CHECK(from_raw.key_for_writing().id() == from_hex.key_for_writing().id());
  CHECK(crypto::key_id_text(from_raw.key_for_writing().id()).size() == 16);
  CHECK(crypto::KeyFile::from_contents("pass.key", "correct horse battery staple\n").is_passphrase());
  CHECK(code_of([] { crypto::KeyFile::from_contents("short.key", "short\n"); }) == ExitCode::usage);
  CHECK(message_of([] { crypto::KeyFile::from_contents("empty.key", "\n"); }).find("empty.key is empty") !=
        std::string::npos);
}

TEST_CASE("a passphrase file: stretched with Argon2id, its salt in the header, readable again") {
  auto writer = ring_of("correct horse battery staple\n", "pass.key");
  const auto& key = writer.key_for_writing();
  CHECK(key.derivation().kdf == crypto::Kdf::argon2id);
  std::string sealed = encrypt("rows of a backup", key, 64);
  // A new process (a new KeyFile) derives the key from the salt recorded in the file.
  auto reader = ring_of("correct horse battery staple\n", "pass.key");
  CHECK(decrypt(sealed, reader) == "rows of a backup");
  auto wrong = ring_of("incorrect horse battery staple\n", "pass.key");
  CHECK(code_of([&] { decrypt(sealed, wrong); }) == ExitCode::precondition);
  // A raw key never matches a passphrase header, nor the reverse.
  auto raw = ring_of(std::string(64, 'a'));
  CHECK(code_of([&] { decrypt(sealed, raw); }) == ExitCode::precondition);
}

TEST_CASE("new-key writes a fresh 0600 key file and never replaces one") {
  TempDir dir;
  std::string path = dir.file("backup.key");
  std::string id = crypto::write_new_key_file(path);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto loaded = crypto::KeyFile::load(path);
  CHECK_FALSE(loaded.is_passphrase());
  CHECK(crypto::key_id_text(loaded.key_for_writing().id()) == id);
  CHECK(code_of([&] { crypto::write_new_key_file(path); }) == ExitCode::usage);
  CHECK(crypto::key_id_text(crypto::KeyFile::load(path).key_for_writing().id()) == id);
  CHECK(dir.names() == std::vector<std::string>{"backup.key"});
  CHECK(crypto::write_new_key_file(dir.file("second.key")) != id);
}
