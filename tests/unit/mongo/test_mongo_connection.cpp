#include <doctest/doctest.h>

#include "core/error.hpp"
#include "mongo/client.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::mongo;

TEST_CASE("the connection description never shows the password") {
  ConnectionSettings settings;
  settings.host = "db.example";
  settings.port = 27018;
  settings.user = "admin";
  settings.password = "s3cret-pass";
  std::string text = describe(settings);
  CHECK(text == "mongodb://admin@db.example:27018/?authSource=admin");
  CHECK(text.find("s3cret") == std::string::npos);

  settings.uri = "mongodb://admin:uri-secret@h1:1,h2:2/?replicaSet=rs";
  text = describe(settings);
  CHECK(text.find("uri-secret") == std::string::npos);
  CHECK(text.find("h1:1,h2:2") != std::string::npos);
}

TEST_CASE("a malformed mongo.uri is a configuration error that does not echo the URI") {
  ConnectionSettings settings;
  settings.uri = "mongo://user:leak@host";
  try {
    describe(settings);
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::usage);
    CHECK(std::string(error.what()).find("leak") == std::string::npos);
  }
}
