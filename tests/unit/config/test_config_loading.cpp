#include <doctest/doctest.h>

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

TEST_CASE("defaults follow CLI.md when no file is given") {
  TempDir dir;
  config::LoadRequest request;
  request.working_directory = dir.path();
  request.system_path = dir.file("absent.toml");
  auto settings = config::load_settings(request);
  CHECK(settings.source_file.empty());
  CHECK(settings.mysql.port.value == 3306);
  CHECK(settings.backup.date_format.value == "%Y-%m-%d_%H-%M");
  CHECK(settings.retention.keep_last.value == 1);
  CHECK(settings.mysql.exclude.value == config::StringList{"information_schema", "performance_schema", "mysql", "sys"});
  CHECK(settings.mysql.port.origin == "default");
  CHECK(settings.paths.schema.value == settings.paths.historical.value);
  CHECK(settings.paths.schema.origin == "default (paths.historical)");
}

TEST_CASE("a TOML file sets typed values and remembers the line they came from") {
  TempDir dir;
  auto path = dir.write("mysqlpitr.toml", "[mysql]\nhost = \"db1\"\nport = 3307\nexclude = [\"a\", \"b\"]\n\n[backup]\njobs = 4\n");
  auto settings = load(path);
  CHECK(settings.mysql.host.value == "db1");
  CHECK(settings.mysql.port.value == 3307);
  CHECK(settings.mysql.port.origin == path + ":3");
  CHECK(settings.mysql.exclude.value == config::StringList{"a", "b"});
  CHECK(settings.backup.jobs.value == 4);
}

TEST_CASE("environment overrides the file, and the file overrides defaults") {
  TempDir dir;
  auto path = dir.write("c.toml", "[mysql]\nuser = \"from_file\"\nport = 3307\n");
  auto settings = load(path, {{"MYSQLPITR_MYSQL_USER", "from_env"}, {"MYSQLPITR_BACKUP_JOBS", "3"}});
  CHECK(settings.mysql.user.value == "from_env");
  CHECK(settings.mysql.user.origin == "environment MYSQLPITR_MYSQL_USER");
  CHECK(settings.mysql.port.value == 3307);
  CHECK(settings.backup.jobs.value == 3);
  CHECK(message_of([&] { load(path, {{"MYSQLPITR_BACKUP_JOBS", "many"}}); }).find("MYSQLPITR_BACKUP_JOBS") !=
        std::string::npos);
}

TEST_CASE("configuration errors name the file, the key and the line") {
  TempDir dir;
  auto unknown = dir.write("u.toml", "[mysql]\nhost = \"x\"\nhots = \"y\"\n");
  CHECK(code_of([&] { load(unknown); }) == ExitCode::usage);
  CHECK(message_of([&] { load(unknown); }) == unknown + ":3: unknown key mysql.hots");

  auto wrong_type = dir.write("t.toml", "[mysql]\nport = \"3306\"\n");
  CHECK(message_of([&] { load(wrong_type); }) == wrong_type + ":2: mysql.port must be a whole number");

  auto broken = dir.write("b.toml", "[mysql\nhost = 1\n");
  CHECK(message_of([&] { load(broken); }).starts_with(broken + ":1:"));

  auto bad_value = dir.write("v.toml", "[backup]\ncompression = \"rar\"\n");
  CHECK(message_of([&] { load(bad_value); }) ==
        "backup.compression (" + bad_value + ":2): must be gzip, zstd or none, not 'rar'");

  CHECK(code_of([&] { load(dir.file("missing.toml")); }) == ExitCode::usage);
}

TEST_CASE("a file holding a password readable by others is refused with the chmod that fixes it") {
  TempDir dir;
  auto open_file = dir.write("p.toml", "[mysql]\npassword = \"x\"\n", 0644);
  CHECK(code_of([&] { load(open_file); }) == ExitCode::usage);
  CHECK(message_of([&] { load(open_file); }).find("chmod 600 " + open_file) != std::string::npos);
  auto closed = dir.write("q.toml", "[mysql]\npassword = \"x\"\n", 0600);
  CHECK(load(closed).mysql.password.value == "x");
  auto no_secret = dir.write("r.toml", "[mysql]\nuser = \"x\"\n", 0644);
  CHECK(load(no_secret).mysql.user.value == "x");
}

TEST_CASE("password_file supplies the password and must be private too") {
  TempDir dir;
  auto secret = dir.write("pass", "hunter2\n", 0600);
  auto path = dir.write("c.toml", "[mysql]\npassword_file = \"" + secret + "\"\n", 0644);
  CHECK(load(path).mysql.password.value == "hunter2");
  auto leaky = dir.write("pass2", "x\n", 0640);
  auto path2 = dir.write("d.toml", "[mysql]\npassword_file = \"" + leaky + "\"\n", 0644);
  CHECK(code_of([&] { load(path2); }) == ExitCode::usage);
}

TEST_CASE("legacy .env: comments, export, quotes, spaces and the EXCLUDE_DB list") {
  std::string text =
      "# old settings\n"
      "\n"
      "export MYSQL_USER=\"back up\"\n"
      "MYSQL_PASS='p\"a$s w'\n"
      "MYSQL_HOST=127.0.0.1   # local\n"
      "DIR_DESTINO=\"/mnt/backup/my sql\"\n"
      "DIR_DESTINO_INC=/mnt/backup/mysql/incremental\n"
      "EXCLUDE_DB=\"information_schema|performance_schema|mysql|sys|Tmp\"\n"
      "HORA_INICIO=\"07:00:00\"\n"
      "PUERTO=27018\n"
      "CONTRASENA=\"with \\\"quote\\\"\"\n"
      "DIR_DESTINO_REMOTO=/remote\n";
  auto entries = config::parse_env_text(text, ".env");
  config::Settings settings;
  auto unknown = config::apply_env(settings, entries, ".env");
  CHECK(unknown == std::vector<std::string>{"DIR_DESTINO_REMOTO"});
  CHECK(settings.mysql.user.value == "back up");
  CHECK(settings.mysql.password.value == "p\"a$s w");
  CHECK(settings.mysql.host.value == "127.0.0.1");
  CHECK(settings.paths.historical.value == "/mnt/backup/my sql");
  CHECK(settings.paths.schema.value == "/mnt/backup/my sql");
  CHECK(settings.paths.pitr_base.value == "/mnt/backup/mysql/incremental");
  CHECK(settings.mysql.exclude.value ==
        config::StringList{"information_schema", "performance_schema", "mysql", "sys", "Tmp"});
  CHECK(settings.pitr.day_start.value == "07:00:00");
  CHECK(settings.mongo.port.value == 27018);
  CHECK(settings.mongo.password.value == "with \"quote\"");
  CHECK(settings.mysql.user.origin == ".env:3 (MYSQL_USER)");
}

TEST_CASE("a .env imported to TOML loads to the same settings as the .env itself") {
  TempDir dir;
  std::string env = "MYSQL_USER=\"back up\"\nMYSQL_PASS='s3 cret'\nEXCLUDE_DB=\"a|b\"\nDIR_DESTINO=\"/x y\"\n"
                    "FECHA_FORMAT=\"%d-%m-%Y\"\nDESTINO=/mongo\n";
  auto env_path = dir.write("old.env", env);
  auto toml_path = dir.write("new.toml", config::env_to_toml(config::parse_env_text(env, env_path), env_path));
  auto from_env = load(env_path);
  auto from_toml = load(toml_path);
  auto a = config::key_table(from_env);
  auto b = config::key_table(from_toml);
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    INFO(a[i].section << "." << a[i].key);
    std::visit(
        [&](auto* left) {
          using T = std::remove_pointer_t<decltype(left)>;
          CHECK(left->value == std::get<T*>(b[i].setting)->value);
        },
        a[i].setting);
  }
  CHECK(from_toml.mysql.password.value == "s3 cret");
}

TEST_CASE("malformed .env lines are errors naming the file and line") {
  CHECK(message_of([] { config::parse_env_text("A=1\nthis is not\n", "x.env"); }) ==
        "x.env:2: not a KEY=VALUE line: this is not");
  CHECK(message_of([] { config::parse_env_text("A=\"open\n", "x.env"); }) == "x.env:1: unterminated double quote");
  CHECK(message_of([] { config::parse_env_text("A=two words\n", "x.env"); }).starts_with("x.env:1: unexpected text"));
}

TEST_CASE("a .env is recognised by its name or by KEY=VALUE content") {
  CHECK(config::looks_like_env("/etc/app/.env", "[mysql]\n"));
  CHECK(config::looks_like_env("settings", "# x\nMYSQL_USER=a\n"));
  CHECK_FALSE(config::looks_like_env("mysqlpitr.toml", "[mysql]\nuser = \"a\"\n"));
}

TEST_CASE("paths.schema left unset follows paths.historical and says so") {
  TempDir dir;
  auto settings = load(dir.write("c.toml", "[paths]\nhistorical = \"/srv/dumps\"\n"));
  CHECK(settings.paths.schema.value == "/srv/dumps");
  CHECK(settings.paths.schema.origin == "default (paths.historical)");
  // The rest keep their documented defaults, marked as such.
  CHECK(settings.paths.pitr_base.value == "/mnt/backup/mysql/incremental");
  CHECK(settings.paths.pitr_base.origin == "default");
  CHECK(settings.paths.binlog_archive.value.empty());
}

TEST_CASE("paths.schema follows paths.historical set in the environment too") {
  TempDir dir;
  auto settings = load(dir.write("c.toml", "[mysql]\nuser = \"u\"\n"), {{"MYSQLPITR_PATHS_HISTORICAL", "/env/dumps"}});
  CHECK(settings.paths.schema.value == "/env/dumps");
  CHECK(settings.paths.schema.origin == "default (paths.historical)");
}

TEST_CASE("paths.schema given anywhere wins over paths.historical") {
  TempDir dir;
  auto path = dir.write("c.toml", "[paths]\nhistorical = \"/srv/dumps\"\nschema = \"/srv/schema\"\n");
  auto settings = load(path);
  CHECK(settings.paths.schema.value == "/srv/schema");
  CHECK(settings.paths.schema.origin == path + ":3");
  auto from_env = load(path, {{"MYSQLPITR_PATHS_SCHEMA", "/env/schema"}});
  CHECK(from_env.paths.schema.value == "/env/schema");
  CHECK(from_env.paths.schema.origin == "environment MYSQLPITR_PATHS_SCHEMA");
}

TEST_CASE("command-line settings override the environment and the file, and are validated as they are") {
  TempDir dir;
  config::LoadRequest request;
  request.explicit_path = dir.write("c.toml", "[backup]\njobs = 4\n");
  request.environment = {{"MYSQLPITR_BACKUP_JOBS", "3"}};
  request.command_line = {{"backup.jobs", "8"}};
  auto settings = config::load_settings(request);
  CHECK(settings.backup.jobs.value == 8);
  CHECK(settings.backup.jobs.origin == "command line");
  request.command_line = {{"backup.jobs", "65"}};
  CHECK(message_of([&] { config::load_settings(request); }) == "backup.jobs (command line): must be between 1 and 64");
  CHECK(code_of([&] { config::load_settings(request); }) == ExitCode::usage);
}

TEST_CASE("drill.server is a host, a host and port, or a socket's absolute path") {
  auto socket = config::parse_server_address("/run/mysqld/drill.sock");
  REQUIRE(socket);
  CHECK(socket->socket == "/run/mysqld/drill.sock");
  auto host = config::parse_server_address("drill-db.example.net");
  REQUIRE(host);
  CHECK((host->host == "drill-db.example.net" && host->port == 3306 && host->socket.empty()));
  auto port = config::parse_server_address("10.0.0.7:3307");
  REQUIRE(port);
  CHECK((port->host == "10.0.0.7" && port->port == 3307));
  for (const char* bad : {"", "db:", "db:0", "db:65536", "db:99999999", "db:33x", ":3306", "a b", "rel/sock", "db:-1"})
    CHECK_MESSAGE(!config::parse_server_address(bad), bad);
}
