#include <doctest/doctest.h>

#include "sqlload/classify.hpp"
#include "sqlload/rename.hpp"

using namespace mysqlpitr::sqlload;

TEST_CASE("mysqldump session settings are session statements, global ones are not") {
  CHECK(classify("/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */").kind == StatementKind::session);
  CHECK(classify("/*!40103 SET TIME_ZONE='+00:00' */").kind == StatementKind::session);
  CHECK(classify("SET NAMES utf8mb4").kind == StatementKind::session);
  CHECK(classify("SET GLOBAL max_connections=10").kind == StatementKind::other);
  CHECK(classify("SET @@GLOBAL.GTID_PURGED='x'").kind == StatementKind::other);
  // Runs once, like the statement it wraps: replayed on every connection it would insert again.
  CHECK(classify("SET STATEMENT max_statement_time=60 FOR INSERT INTO t VALUES (1)").kind == StatementKind::other);
  CHECK(classify("set statement sql_mode='' for insert into t values (1)").kind == StatementKind::other);
}

TEST_CASE("sql_mode assignments tell whether backslash is an escape") {
  CHECK(classify("/*!50003 SET sql_mode = 'NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES' */").no_backslash_escapes == true);
  CHECK(classify("/*!50003 SET sql_mode = 'STRICT_TRANS_TABLES' */").no_backslash_escapes == false);
  CHECK(classify("/*!50003 SET sql_mode = @saved_sql_mode */").no_backslash_escapes == false);
  CHECK_FALSE(classify("SET @sql_mode = 'NO_BACKSLASH_ESCAPES'").no_backslash_escapes.has_value());
  CHECK_FALSE(classify("SET NAMES utf8").no_backslash_escapes.has_value());
}

TEST_CASE("INSERT and REPLACE are data for their table, qualified or not") {
  auto c = classify("INSERT INTO `t 1` VALUES (1)");
  CHECK(c.kind == StatementKind::data);
  CHECK(c.table == "t 1");
  CHECK(c.database.empty());
  c = classify("REPLACE LOW_PRIORITY INTO shop.`orders` (a) VALUES (1)");
  CHECK(c.kind == StatementKind::data);
  CHECK(c.database == "shop");
  CHECK(c.table == "orders");
  CHECK(classify("INSERT IGNORE t VALUES (1)").table == "t");
}

TEST_CASE("table definitions name their table, and InnoDB is recognised") {
  auto c = classify("CREATE TABLE `t` (\n  `id` int NOT NULL\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
  CHECK(c.kind == StatementKind::table);
  CHECK(c.create);
  CHECK(c.table == "t");
  CHECK(c.innodb);
  CHECK_FALSE(classify("CREATE TABLE t (a int) ENGINE=MyISAM").innodb);
  c = classify("DROP TABLE IF EXISTS `t`");
  CHECK(c.drop);
  CHECK(c.table == "t");
  CHECK(classify("DROP TABLE a, b").table.empty());
  c = classify("/*!40000 ALTER TABLE `t` DISABLE KEYS */");
  CHECK(c.kind == StatementKind::table);
  CHECK(c.keys);
  CHECK(c.table == "t");
  CHECK(classify("CREATE UNIQUE INDEX i ON x.t (a)").table == "t");
}

TEST_CASE("LOCK, UNLOCK and COMMIT around rows are recognised") {
  CHECK(classify("LOCK TABLES `t` WRITE").kind == StatementKind::lock);
  CHECK(classify("UNLOCK TABLES").kind == StatementKind::lock);
  CHECK(classify("commit").kind == StatementKind::transaction);
  CHECK(classify("BEGIN NOT ATOMIC SELECT 1; END").kind == StatementKind::other);
}

TEST_CASE("database statements name their database through version comments") {
  auto c = classify("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 */");
  CHECK(c.kind == StatementKind::database);
  CHECK(c.create);
  CHECK(c.database == "shop");
  c = classify("/*!40000 DROP DATABASE IF EXISTS `shop`*/");
  CHECK(c.drop);
  CHECK(c.database == "shop");
  CHECK(classify("USE `shop`").kind == StatementKind::use);
  CHECK(classify("USE `shop`").database == "shop");
  CHECK(classify("ALTER DATABASE `shop` CHARACTER SET latin1").database == "shop");
  CHECK(classify("ALTER DATABASE CHARACTER SET latin1").database.empty());
}

TEST_CASE("views, routines, triggers and events are objects, through DEFINER and version comments") {
  auto c = classify(
      "/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */ "
      "/*!50001 VIEW `v` AS select 1 AS `a` */");
  CHECK(c.kind == StatementKind::object);
  CHECK(c.object == "view");
  CHECK(classify("/*!50003 CREATE*/ /*!50020 DEFINER=`root`@`localhost`*/ /*!50003 PROCEDURE `p`() BEGIN END */")
            .object == "procedure");
  CHECK(classify("CREATE DEFINER=`a`@`%` FUNCTION `f`() RETURNS int RETURN 1").object == "function");
  CHECK(classify("/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `e` ON SCHEDULE EVERY 1 DAY "
                 "DO SELECT 1 */")
            .object == "event");
  CHECK(classify("/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `tr` BEFORE INSERT ON `t` "
                 "FOR EACH ROW SET NEW.a=1 */")
            .object == "trigger");
  auto trigger = classify("/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `tr` AFTER "
                          "UPDATE ON `db`.`orders` FOR EACH ROW SET @a=1 */");
  CHECK(trigger.table == "orders");  // a table-level restore loads the selected tables' triggers only
  CHECK(trigger.database == "db");
  CHECK(classify("/*!50001 DROP VIEW IF EXISTS `v`*/").object == "view");
  CHECK(classify("/*!50003 DROP PROCEDURE IF EXISTS `p` */").drop);
}

TEST_CASE("a version comment that no server runs is not read as code") {
  auto c = classify("/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump\n/*!40101 SET NAMES utf8 */");
  CHECK(c.kind == StatementKind::session);
}

TEST_CASE("comments only: nothing to classify") { CHECK(classify("/* just words */").kind == StatementKind::other); }

TEST_CASE("rename rewrites the database statements of a dump") {
  Rename r{"shop", "shop_copy"};
  CHECK(rename_database("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 */", r) ==
        "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop_copy` /*!40100 DEFAULT CHARACTER SET utf8mb4 */");
  CHECK(rename_database("/*!40000 DROP DATABASE IF EXISTS `shop`*/", r) == "/*!40000 DROP DATABASE IF EXISTS `shop_copy`*/");
  CHECK(rename_database("USE `shop`", r) == "USE `shop_copy`");
  CHECK(rename_database("USE shop", r) == "USE `shop_copy`");
  CHECK(rename_database("ALTER DATABASE `shop` CHARACTER SET latin1", r) ==
        "ALTER DATABASE `shop_copy` CHARACTER SET latin1");
}

TEST_CASE("rename rewrites qualified references in view and routine bodies, and nothing else") {
  Rename r{"shop", "new`name"};
  CHECK(rename_database("/*!50001 VIEW `v` AS select `shop`.`t`.`a` AS `a` from `shop`.`t` */", r) ==
        "/*!50001 VIEW `v` AS select `new``name`.`t`.`a` AS `a` from `new``name`.`t` */");
  CHECK(rename_database("CREATE PROCEDURE p() BEGIN INSERT INTO shop . log VALUES ('shop.x'); END", r) ==
        "CREATE PROCEDURE p() BEGIN INSERT INTO `new``name` . log VALUES ('shop.x'); END");
  // A column or table named like the database, a variable, a comment and a string stay.
  std::string untouched = "SELECT t.shop, @shop.x, `shop`, 'shop.' FROM x.shop -- shop.t\n WHERE shop = 1";
  CHECK(rename_database(untouched, r) == untouched);
  // Another database that merely starts with the name stays.
  CHECK(rename_database("SELECT * FROM shop2.t, `shop_old`.t", r) == "SELECT * FROM shop2.t, `shop_old`.t");
}

TEST_CASE("rename with no rename configured returns the statement unchanged") {
  CHECK(rename_database("USE `shop`", Rename{}) == "USE `shop`");
}
