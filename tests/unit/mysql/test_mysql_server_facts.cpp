#include <doctest/doctest.h>

#include <string>

#include "mysql/server_facts.hpp"

using namespace mysqlpitr;

namespace {
mysql::ServerFacts server(mysql::Flavor flavor, unsigned long version_number) {
  mysql::ServerFacts facts;
  facts.flavor = flavor;
  facts.version_number = version_number;
  return facts;
}
}  // namespace

TEST_CASE("the active binlog is asked for by the name each server version knows") {
  using mysql::Flavor;
  CHECK(std::string(mysql::binary_log_status_statement(server(Flavor::mysql, 80036))) == "SHOW MASTER STATUS");
  CHECK(std::string(mysql::binary_log_status_statement(server(Flavor::mysql, 80200))) == "SHOW BINARY LOG STATUS");
  CHECK(std::string(mysql::binary_log_status_statement(server(Flavor::mysql, 80400))) == "SHOW BINARY LOG STATUS");
  CHECK(std::string(mysql::binary_log_status_statement(server(Flavor::mysql, 50744))) == "SHOW MASTER STATUS");
  // MariaDB 11.x numbers are above MySQL's 8.2 but keep the old statement.
  CHECK(std::string(mysql::binary_log_status_statement(server(Flavor::mariadb, 110402))) == "SHOW MASTER STATUS");
}

TEST_CASE("the binlog prefix is the base name of log_bin_basename") {
  mysql::ServerFacts facts;
  facts.log_bin_basename = "/var/lib/mysql/mysql-bin";
  CHECK(facts.binlog_prefix() == "mysql-bin");
}
