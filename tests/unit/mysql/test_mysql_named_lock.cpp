#include <doctest/doctest.h>

#include "mysql/named_lock.hpp"

using namespace mysqlpitr;

TEST_CASE("a lock name keeps a short printable key readable") {
  CHECK(mysql::lock_name("mysqlpitr.restore.", "shop") == "mysqlpitr.restore.shop");
}

TEST_CASE("a lock name too long for the server, or with other bytes, is the prefix and a SHA-256 prefix") {
  std::string long_key(64, 'x');
  std::string name = mysql::lock_name("mysqlpitr.restore.", long_key);
  CHECK(name.size() <= 64);
  CHECK(name.rfind("mysqlpitr.restore.sha256:", 0) == 0);
  CHECK(name != mysql::lock_name("mysqlpitr.restore.", long_key + "y"));
  CHECK(mysql::lock_name("mysqlpitr.restore.", "tienda\xc3\xb1") != mysql::lock_name("mysqlpitr.restore.", "tienda\xc3\xb3"));
  CHECK(mysql::lock_name("mysqlpitr.restore.", "a\nb").find('\n') == std::string::npos);
}
