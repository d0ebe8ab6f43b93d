#include <doctest/doctest.h>

#include <algorithm>

#include "config/legacy_env.hpp"
#include "config/load.hpp"
#include "core/error.hpp"
#include "support/expect_error.hpp"
#include "support/temp_dir.hpp"
#include "unit/config/load_settings.hpp"

using namespace mysqlpitr;
using mysqlpitr::testing::code_of;
using mysqlpitr::testing::load;
using mysqlpitr::testing::message_of;
using mysqlpitr::testing::TempDir;

namespace {
const std::string bucket_section =
    "[repository]\nmode = \"s3\"\n\n[s3]\nendpoint = \"http://127.0.0.1:4568\"\nbucket = \"backups\"\n";

config::KeyRef key_named(config::Settings& settings, const std::string& section, const std::string& key) {
  auto table = config::key_table(settings);
  auto found = std::find_if(table.begin(), table.end(),
                            [&](const config::KeyRef& ref) { return ref.section == section && ref.key == key; });
  REQUIRE(found != table.end());
  return *found;
}
}  // namespace

TEST_CASE("without [s3] the repository stays local, with the documented defaults") {
  TempDir dir;
  auto settings = load(dir.write("c.toml", "[mysql]\nuser = \"u\"\n"));
  CHECK(settings.repository.mode.value == "local");
  CHECK(settings.repository.mode.origin == "default");
  CHECK(settings.s3.region.value == "us-east-1");
  CHECK(settings.s3.addressing.value == "path");
  CHECK(settings.s3.verify_tls.value);
  CHECK(settings.s3.part_size.value.bytes == 16 * 1024 * 1024);
  CHECK(settings.s3.upload_jobs.value == 4);
  CHECK(settings.s3.endpoint.value.empty());
}

TEST_CASE("an [s3] section sets every key, each remembering its line") {
  TempDir dir;
  auto ca = dir.write("ca.pem", "-----BEGIN CERTIFICATE-----\n", 0644);
  auto path = dir.write("c.toml", "[repository]\nmode = \"both\"\n\n[s3]\n"
                                  "endpoint = \"https://s3.example.net:9000\"\n"
                                  "bucket = \"db-backups\"\n"
                                  "region = \"eu-west-3\"\n"
                                  "prefix = \"site/db1/\"\n"
                                  "access_key = \"AKIAEXAMPLE\"\n"
                                  "secret_key = \"wJalr/K7MDENG\"\n"
                                  "addressing = \"virtual\"\n"
                                  "verify_tls = false\n"
                                  "ca_file = \"" + ca + "\"\n"
                                  "part_size = \"64MiB\"\n"
                                  "upload_jobs = 8\n");
  auto settings = load(path);
  CHECK(settings.repository.mode.value == "both");
  CHECK(settings.repository.mode.origin == path + ":2");
  CHECK(settings.s3.endpoint.value == "https://s3.example.net:9000");
  CHECK(settings.s3.bucket.value == "db-backups");
  CHECK(settings.s3.region.value == "eu-west-3");
  CHECK(settings.s3.prefix.value == "site/db1/");
  CHECK(settings.s3.access_key.value == "AKIAEXAMPLE");
  CHECK(settings.s3.secret_key.value == "wJalr/K7MDENG");
  CHECK(settings.s3.secret_key.origin == path + ":10");
  CHECK(settings.s3.addressing.value == "virtual");
  CHECK_FALSE(settings.s3.verify_tls.value);
  CHECK(settings.s3.ca_file.value == ca);
  CHECK(settings.s3.part_size.value.bytes == 64 * 1024 * 1024);
  CHECK(settings.s3.part_size.origin == path + ":14");
  CHECK(settings.s3.upload_jobs.value == 8);
}

TEST_CASE("sizes: bytes or a number with a binary unit, read back as written") {
  using config::parse_byte_size;
  CHECK(parse_byte_size("5242880")->bytes == 5242880);
  CHECK(parse_byte_size("16MiB")->bytes == 16 << 20);
  CHECK(parse_byte_size("16 MiB")->bytes == 16 << 20);
  CHECK(parse_byte_size("16M")->bytes == 16 << 20);
  CHECK(parse_byte_size("16mb")->bytes == 16 << 20);
  CHECK(parse_byte_size("512k")->bytes == 512 << 10);
  CHECK(parse_byte_size("1GiB")->bytes == 1 << 30);
  CHECK(parse_byte_size(" 2T ")->bytes == 2LL << 40);
  CHECK(parse_byte_size("100B")->bytes == 100);
  for (const char* bad : {"", "MiB", "-5MiB", "1.5GiB", "16 parsecs", "16MiBs", "99999999999T", "0x10"}) {
    INFO(bad);
    CHECK_FALSE(parse_byte_size(bad));
  }
  for (std::int64_t bytes : {0LL, 1000LL, 5LL << 20, (5LL << 20) + 1, 3LL << 30, 7LL << 40}) {
    INFO(bytes);
    CHECK(parse_byte_size(config::format_byte_size({bytes}))->bytes == bytes);
  }
  CHECK(config::format_byte_size({64 << 20}) == "64MiB");
  CHECK(config::format_byte_size({1000}) == "1000B");
}

TEST_CASE("part_size is a size within S3's part limits, in the file and in the environment") {
  TempDir dir;
  auto whole = dir.write("w.toml", "[s3]\npart_size = 8388608\n");
  CHECK(load(whole).s3.part_size.value.bytes == 8 << 20);
  CHECK(load(whole, {{"MYSQLPITR_S3_PART_SIZE", "32MiB"}}).s3.part_size.value.bytes == 32 << 20);
  auto small = dir.write("s.toml", "[s3]\npart_size = \"4MiB\"\n");
  CHECK(code_of([&] { load(small); }) == ExitCode::usage);
  CHECK(message_of([&] { load(small); }) ==
        "s3.part_size (" + small + ":2): must be between 5MiB and 5GiB (S3's part sizes), not 4MiB");
  auto big = dir.write("b.toml", "[s3]\npart_size = \"6GiB\"\n");
  CHECK(message_of([&] { load(big); }).starts_with("s3.part_size (" + big + ":2): must be between 5MiB and 5GiB"));
  auto words = dir.write("x.toml", "[s3]\npart_size = \"lots\"\n");
  CHECK(message_of([&] { load(words); }) ==
        words + ":2: s3.part_size must be a size: bytes, or a number with KiB, MiB or GiB");
  auto negative = dir.write("n.toml", "[s3]\npart_size = -1\n");
  CHECK(code_of([&] { load(negative); }) == ExitCode::usage);
  CHECK(message_of([&] { load(whole, {{"MYSQLPITR_S3_PART_SIZE", "big"}}); }).find("MYSQLPITR_S3_PART_SIZE") !=
        std::string::npos);
}

TEST_CASE("values out of their set are one-line errors naming the key") {
  TempDir dir;
  struct Case {
    std::string toml, starts;
  };
  for (const Case& c : std::vector<Case>{
           {"[repository]\nmode = \"cloud\"\n", "repository.mode ("},
           {"[s3]\naddressing = \"dns\"\n", "s3.addressing ("},
           {"[s3]\nupload_jobs = 0\n", "s3.upload_jobs ("},
           {"[s3]\nupload_jobs = 65\n", "s3.upload_jobs ("},
           {"[s3]\nregion = \"\"\n", "s3.region ("},
           {"[s3]\nendpoint = \"s3.example.net\"\n", "s3.endpoint ("},
           {"[s3]\nendpoint = \"ftp://s3.example.net\"\n", "s3.endpoint ("},
           {"[s3]\nendpoint = \"https://s3.example.net:99999\"\n", "s3.endpoint ("},
           {"[s3]\nendpoint = \"https://s3.example.net/some/path\"\n", "s3.endpoint ("},
           {"[s3]\nendpoint = \"http://127.0.0.1:9000\"\naddressing = \"virtual\"\n", "s3.addressing ("},
           {"[s3]\nbucket = \"backups/db1\"\n", "s3.bucket ("},
           {"[s3]\nbucket = \"two words\"\n", "s3.bucket ("},
           {"[s3]\nprefix = \"/db1\"\n", "s3.prefix ("},
           {"[s3]\nprefix = \"a//b\"\n", "s3.prefix ("},
           {"[s3]\nprefix = \"a/../b\"\n", "s3.prefix ("},
           {"[s3]\nverify_tls = \"maybe\"\n", ""},
           {"[s3]\nsecret = \"x\"\n", ""},
       }) {
    INFO(c.toml);
    auto path = dir.write("c.toml", c.toml);
    std::string message = message_of([&] { load(path); });
    CHECK(code_of([&] { load(path); }) == ExitCode::usage);
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.starts_with(c.starts));
  }
  auto ok = dir.write("ok.toml", "[s3]\nendpoint = \"http://[::1]:9000/\"\nprefix = \"site/db1/\"\nbucket = \"a.b-c\"\n");
  CHECK(load(ok).s3.prefix.value == "site/db1/");
}

TEST_CASE("mode s3 or both without endpoint, bucket or credentials names what is missing") {
  TempDir dir;
  auto empty = dir.write("e.toml", "[repository]\nmode = \"s3\"\n");
  CHECK(code_of([&] { load(empty); }) == ExitCode::usage);
  CHECK(message_of([&] { load(empty); }) ==
        "repository.mode (" + empty +
            ":2): s3 keeps backups in a bucket and needs s3.endpoint, s3.bucket, s3.access_key (or AWS_ACCESS_KEY_ID), "
            "s3.secret_key (or s3.secret_key_file, or AWS_SECRET_ACCESS_KEY)");
  auto no_keys = dir.write("k.toml", "[repository]\nmode = \"both\"\n\n[s3]\nendpoint = \"http://127.0.0.1:4568\"\n"
                                     "bucket = \"b\"\naccess_key = \"AK\"\n");
  CHECK(message_of([&] { load(no_keys); }) ==
        "repository.mode (" + no_keys +
            ":2): both keeps backups in a bucket and needs s3.secret_key (or s3.secret_key_file, or AWS_SECRET_ACCESS_KEY)");
  // The same through the environment alone.
  CHECK(message_of([&] { load(no_keys, {{"MYSQLPITR_REPOSITORY_MODE", "s3"}}); })
            .starts_with("repository.mode (environment MYSQLPITR_REPOSITORY_MODE): s3 keeps"));
  // Local mode does not care about an incomplete [s3].
  CHECK(load(dir.write("l.toml", "[s3]\nbucket = \"b\"\n")).repository.mode.value == "local");
}

TEST_CASE("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY supply or override the file's keys") {
  TempDir dir;
  auto path = dir.write("c.toml", bucket_section);
  auto settings = load(path, {{"AWS_ACCESS_KEY_ID", "AKENV"}, {"AWS_SECRET_ACCESS_KEY", "env secret"}});
  CHECK(settings.s3.access_key.value == "AKENV");
  CHECK(settings.s3.access_key.origin == "environment AWS_ACCESS_KEY_ID");
  CHECK(settings.s3.secret_key.value == "env secret");
  CHECK(settings.s3.secret_key.origin == "environment AWS_SECRET_ACCESS_KEY");

  auto with_keys = dir.write("k.toml", bucket_section + "access_key = \"AKFILE\"\nsecret_key = \"file secret\"\n");
  auto overridden = load(with_keys, {{"AWS_ACCESS_KEY_ID", "AKENV"}});
  CHECK(overridden.s3.access_key.value == "AKENV");
  CHECK(overridden.s3.secret_key.value == "file secret");
  // mysqlpitr's own variable names its key exactly and wins over the AWS tools' one.
  auto own = load(with_keys, {{"AWS_ACCESS_KEY_ID", "AKENV"}, {"MYSQLPITR_S3_ACCESS_KEY", "AKOWN"}});
  CHECK(own.s3.access_key.value == "AKOWN");
  CHECK(own.s3.access_key.origin == "environment MYSQLPITR_S3_ACCESS_KEY");
  // An empty variable is no value.
  CHECK(load(with_keys, {{"AWS_SECRET_ACCESS_KEY", ""}}).s3.secret_key.value == "file secret");
}

TEST_CASE("secret_key in the file makes it private; secret_key_file is read under the same 0600 rule") {
  TempDir dir;
  auto open_file = dir.write("o.toml", bucket_section + "access_key = \"AK\"\nsecret_key = \"s\"\n", 0644);
  CHECK(code_of([&] { load(open_file); }) == ExitCode::usage);
  CHECK(message_of([&] { load(open_file); }).find("chmod 600 " + open_file) != std::string::npos);
  CHECK(load(dir.write("a.toml", bucket_section + "access_key = \"AK\"\n", 0644), {{"AWS_SECRET_ACCESS_KEY", "s"}})
            .s3.access_key.value == "AK");

  auto secret = dir.write("s3.secret", "file secret\n", 0600);
  auto path = dir.write("c.toml", bucket_section + "access_key = \"AK\"\nsecret_key_file = \"" + secret + "\"\n", 0644);
  auto settings = load(path);
  CHECK(settings.s3.secret_key.value == "file secret");
  CHECK(settings.s3.secret_key.origin == secret);
  // A secret in the environment is not overridden by the file's secret_key_file.
  CHECK(load(path, {{"AWS_SECRET_ACCESS_KEY", "env"}}).s3.secret_key.value == "env");

  auto leaky = dir.write("leaky.secret", "x\n", 0640);
  auto leaky_config = dir.write("d.toml", "[s3]\nsecret_key_file = \"" + leaky + "\"\n", 0644);
  CHECK(code_of([&] { load(leaky_config); }) == ExitCode::usage);
  CHECK(message_of([&] { load(leaky_config); }) ==
        "secret key file " + leaky + " holds a secret and is readable by group or others; fix it with: chmod 600 " + leaky);
  auto missing = dir.write("m.toml", "[s3]\nsecret_key_file = \"" + dir.file("nope") + "\"\n");
  CHECK(message_of([&] { load(missing); }).starts_with("cannot read secret key file " + dir.file("nope")));
}

TEST_CASE("the secret key is shown redacted, the rest as set") {
  TempDir dir;
  auto settings = load(dir.write("c.toml", bucket_section + "access_key = \"AK\"\nsecret_key = \"topsecret\"\n"));
  auto secret = key_named(settings, "s3", "secret_key");
  CHECK(secret.secret);
  CHECK(config::display_value(secret) == "<redacted>");
  CHECK(config::display_value(key_named(settings, "s3", "access_key")) == "AK");
  CHECK(config::display_value(key_named(settings, "s3", "part_size")) == "16MiB");
  CHECK(config::display_value(key_named(settings, "s3", "verify_tls")) == "true");
  CHECK(config::display_value(key_named(settings, "repository", "mode")) == "s3");
  for (auto& key : config::key_table(settings)) {
    INFO(key.section << "." << key.key);
    CHECK(config::display_value(key).find("topsecret") == std::string::npos);
  }
}

TEST_CASE("errors never echo a secret") {
  TempDir dir;
  auto in_url = dir.write("u.toml", "[s3]\nendpoint = \"https://AKIA:topsecret@s3.example.net\"\n");
  std::string message = message_of([&] { load(in_url); });
  CHECK(message.starts_with("s3.endpoint ("));
  CHECK(message.find("topsecret") == std::string::npos);
  auto env_url = dir.write("e.toml", "[mysql]\nuser = \"u\"\n");
  CHECK(message_of([&] { load(env_url, {{"MYSQLPITR_S3_ENDPOINT", "http://k:topsecret@host"}}); }).find("topsecret") ==
        std::string::npos);
}

TEST_CASE("ca_file must be readable once the bucket is used") {
  TempDir dir;
  auto keys = bucket_section + "access_key = \"AK\"\nca_file = \"" + dir.file("absent.pem") + "\"\n";
  auto path = dir.write("c.toml", keys);
  config::Environment secret{{"AWS_SECRET_ACCESS_KEY", "s"}};
  CHECK(message_of([&] { load(path, secret); }).starts_with("s3.ca_file (" + path + ":8): cannot read " + dir.file("absent.pem")));
  CHECK(load(path, {{"AWS_SECRET_ACCESS_KEY", "s"}, {"MYSQLPITR_REPOSITORY_MODE", "local"}}).repository.mode.value ==
        "local");
}

TEST_CASE("config import-env leaves [repository] and [s3] empty") {
  std::string env = "MYSQL_USER=u\nMYSQL_PASS=p\nDIR_DESTINO=/x\nAWS_ACCESS_KEY_ID=AK\nAWS_SECRET_ACCESS_KEY=s\n";
  auto entries = config::parse_env_text(env, ".env");
  config::Settings settings;
  auto unknown = config::apply_env(settings, entries, ".env");
  CHECK(unknown == std::vector<std::string>{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"});
  CHECK(settings.s3.access_key.value.empty());
  CHECK(settings.s3.secret_key.value.empty());
  std::string toml = config::env_to_toml(entries, ".env");
  CHECK(toml.find("[s3]") == std::string::npos);
  CHECK(toml.find("[repository]") == std::string::npos);
  CHECK(toml.find("AK") == std::string::npos);
}

TEST_CASE("the example configuration loads, its repository local and its [s3] at the defaults") {
  TempDir dir;
  // Copied with mode 600: it holds (placeholder) passwords.
  auto path = dir.write("mysqlpitr.toml", testing::read_file(MYSQLPITR_SOURCE_DIR "/config/mysqlpitr.toml.example"));
  auto settings = load(path);
  CHECK(settings.repository.mode.value == "local");
  CHECK(settings.s3.region.value == "us-east-1");
  CHECK(settings.s3.part_size.value.bytes == 16 * 1024 * 1024);
  CHECK(settings.s3.part_size.origin.starts_with(path + ":"));
  CHECK(settings.s3.upload_jobs.value == 4);
  CHECK(settings.s3.addressing.value == "path");
  CHECK(settings.s3.verify_tls.value);
}
