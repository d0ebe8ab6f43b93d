#include <doctest/doctest.h>

#include "pitr/statement_filter.hpp"

using namespace mysqlpitr::pitr;

namespace {
Verdict verdict(const char* sql, const char* default_database, const char* database = "shop") {
  return decide(analyse_statement(sql, default_database), database).verdict;
}
}  // namespace

TEST_CASE("a statement under USE shop that writes another database's table is skipped") {
  CHECK(verdict("INSERT INTO other.log (msg) VALUES ('x')", "shop") == Verdict::skip);
  CHECK(verdict("UPDATE `other`.`log` SET msg = 'y'", "shop") == Verdict::skip);
  CHECK(verdict("DELETE FROM other.log WHERE id = 1", "shop") == Verdict::skip);
}

TEST_CASE("a statement run elsewhere that writes shop's tables is applied") {
  CHECK(verdict("INSERT INTO shop.items VALUES (1)", "other") == Verdict::apply);
  CHECK(verdict("REPLACE LOW_PRIORITY INTO `shop`.items SET a = 1", "") == Verdict::apply);
  CHECK(verdict("UPDATE shop.items SET price = 2", "other") == Verdict::apply);
  CHECK(verdict("DELETE QUICK FROM shop.items", "other") == Verdict::apply);
  CHECK(verdict("TRUNCATE TABLE shop.items", "other") == Verdict::apply);
}

TEST_CASE("unqualified statements follow the default database") {
  CHECK(verdict("INSERT INTO items VALUES (1)", "shop") == Verdict::apply);
  CHECK(verdict("INSERT INTO items VALUES (1)", "other") == Verdict::skip);
  CHECK(verdict("insert into items select * from other.x", "shop") == Verdict::apply);
}

TEST_CASE("DDL is attributed to the database of the object it names") {
  CHECK(verdict("CREATE TABLE t (id INT)", "shop") == Verdict::apply);
  CHECK(verdict("CREATE TABLE IF NOT EXISTS other.t (id INT)", "shop") == Verdict::skip);
  CHECK(verdict("ALTER TABLE shop.items ADD COLUMN x INT", "other") == Verdict::apply);
  CHECK(verdict("DROP TABLE IF EXISTS `shop`.`a`, `shop`.`b`", "") == Verdict::apply);
  CHECK(verdict("DROP TABLE shop.a, other.b", "") == Verdict::ambiguous);
  CHECK(verdict("CREATE DEFINER=`root`@`localhost` TRIGGER items_ai AFTER INSERT ON items FOR EACH ROW SET @x = 1",
                "shop") == Verdict::apply);
  CHECK(verdict("CREATE DEFINER=`root`@`localhost` PROCEDURE other.p() BEGIN INSERT INTO shop.t VALUES (1); END",
                "shop") == Verdict::skip);
  CHECK(verdict("CREATE DATABASE shop", "") == Verdict::apply);
  CHECK(verdict("DROP DATABASE IF EXISTS other", "shop") == Verdict::skip);
  CHECK(verdict("CREATE INDEX i ON shop.items (name)", "other") == Verdict::apply);
  CHECK(verdict("RENAME TABLE shop.a TO shop.b", "") == Verdict::apply);
  CHECK(verdict("RENAME TABLE shop.a TO other.a", "") == Verdict::ambiguous);
  CHECK(verdict("ALTER TABLE shop.a RENAME TO other.a", "") == Verdict::ambiguous);
}

TEST_CASE("temporary tables are marked, and DDL is marked as committing on its own") {
  auto temporary = analyse_statement("CREATE TEMPORARY TABLE tmp AS SELECT 1", "shop");
  CHECK(temporary.temporary);
  CHECK_FALSE(temporary.implicit_commit);
  CHECK(analyse_statement("DROP TEMPORARY TABLE IF EXISTS tmp", "shop").temporary);
  CHECK(analyse_statement("ALTER TABLE t ADD x INT", "shop").implicit_commit);
  CHECK_FALSE(analyse_statement("INSERT INTO t VALUES (1)", "shop").implicit_commit);
}

TEST_CASE("statements whose target cannot be decided are ambiguous, never guessed") {
  CHECK(verdict("CALL shop.p()", "shop") == Verdict::ambiguous);
  CHECK(verdict("SELECT f()", "shop") == Verdict::ambiguous);
  CHECK(verdict("LOAD DATA INFILE 'x' INTO TABLE t", "shop") == Verdict::ambiguous);
  CHECK(verdict("UPDATE shop.a JOIN other.b ON a.id = b.id SET a.x = b.x", "") == Verdict::ambiguous);
  CHECK(verdict("INSERT INTO t VALUES (1)", "") == Verdict::ambiguous);  // no default database
  CHECK(verdict("FOO BAR", "shop") == Verdict::ambiguous);
}

TEST_CASE("multi-table statements within one database are attributed to it") {
  CHECK(verdict("UPDATE a JOIN b ON a.id = b.id SET a.x = b.x", "shop") == Verdict::apply);
  CHECK(verdict("DELETE a FROM a JOIN b ON a.id = b.id", "shop") == Verdict::apply);
  CHECK(verdict("DELETE FROM a USING a, other.b WHERE a.id = b.id", "shop") == Verdict::ambiguous);
}

TEST_CASE("comments and strings never decide the target") {
  CHECK(verdict("/* other.t */ INSERT INTO items VALUES ('other.t')", "shop") == Verdict::apply);
  CHECK(verdict("INSERT /*!50000 IGNORE */ INTO other.t VALUES (1)", "shop") == Verdict::skip);
}

TEST_CASE("transaction control and server-wide statements") {
  CHECK(analyse_statement("BEGIN", "shop").control == Control::begin);
  CHECK(analyse_statement("COMMIT", "").control == Control::commit);
  CHECK(analyse_statement("ROLLBACK", "").control == Control::rollback);
  CHECK(analyse_statement("ROLLBACK TO SAVEPOINT a", "").control == Control::savepoint);
  CHECK(verdict("GRANT SELECT ON shop.* TO 'u'@'%'", "shop") == Verdict::skip);
  CHECK(verdict("CREATE USER 'u'@'%'", "shop") == Verdict::skip);
  CHECK(verdict("SET STATEMENT max_statement_time=10 FOR INSERT INTO other.t VALUES (1)", "shop") == Verdict::skip);
  CHECK(verdict("SET STATEMENT max_statement_time=10 FOR INSERT INTO shop.t VALUES (1)", "x") == Verdict::apply);
}

TEST_CASE("DROP DATABASE is marked, so the replay selects the default database again after it") {
  CHECK(analyse_statement("DROP DATABASE IF EXISTS `shop`", "shop").drops_database);
  CHECK(analyse_statement("drop schema shop", "").drops_database);
  CHECK_FALSE(analyse_statement("DROP TABLE shop.items", "shop").drops_database);
  CHECK_FALSE(analyse_statement("CREATE DATABASE shop", "").drops_database);
}

TEST_CASE("CREATE, ALTER and DROP DATABASE naming their database are marked (logged under that database)") {
  CHECK(analyse_statement("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop`", "shop").names_database);
  CHECK(analyse_statement("DROP DATABASE shop", "shop").names_database);
  CHECK(analyse_statement("ALTER DATABASE shop CHARACTER SET utf8mb4", "shop").names_database);
  CHECK_FALSE(analyse_statement("ALTER DATABASE CHARACTER SET utf8mb4", "shop").names_database);
  CHECK_FALSE(analyse_statement("CREATE TABLE t (id INT)", "shop").names_database);
}

TEST_CASE("ALTER DATABASE without a name is attributed to the default database") {
  CHECK(verdict("ALTER DATABASE CHARACTER SET utf8mb4", "shop") == Verdict::apply);
  CHECK(verdict("ALTER SCHEMA DEFAULT COLLATE utf8mb4_bin", "other") == Verdict::skip);
  CHECK(verdict("ALTER DATABASE `shop` COMMENT 'x'", "other") == Verdict::apply);
}

namespace {
Verdict table_verdict(const char* sql, const char* default_database, std::vector<std::string> tables = {"orders"}) {
  return decide_tables(analyse_statement(sql, default_database), "shop", tables).verdict;
}
}  // namespace

TEST_CASE("table-level PITR applies statements that write only the selected tables") {
  CHECK(table_verdict("INSERT INTO orders VALUES (1)", "shop") == Verdict::apply);
  CHECK(table_verdict("UPDATE shop.`orders` SET a = 1", "other") == Verdict::apply);
  CHECK(table_verdict("DELETE FROM orders WHERE id > 3", "shop") == Verdict::apply);
  CHECK(table_verdict("ALTER TABLE orders ADD x INT", "shop") == Verdict::apply);
  CHECK(table_verdict("CREATE INDEX i ON orders (a)", "shop") == Verdict::apply);
  CHECK(table_verdict("TRUNCATE orders", "shop") == Verdict::apply);
  CHECK(table_verdict("CREATE TRIGGER t BEFORE INSERT ON orders FOR EACH ROW SET NEW.a = 1", "shop") ==
        Verdict::apply);
  CHECK(table_verdict("INSERT INTO orders SELECT * FROM customers", "shop") == Verdict::apply);
  CHECK(table_verdict("UPDATE orders o JOIN items i ON i.id = o.id SET o.a = 1", "shop", {"orders", "items"}) ==
        Verdict::apply);
}

TEST_CASE("table-level PITR skips statements of other tables and databases") {
  CHECK(table_verdict("INSERT INTO customers VALUES (1)", "shop") == Verdict::skip);
  CHECK(table_verdict("INSERT INTO orders VALUES (1)", "other") == Verdict::skip);
  CHECK(table_verdict("CREATE PROCEDURE p() SELECT 1", "shop") == Verdict::skip);
  CHECK(table_verdict("CREATE TRIGGER t AFTER UPDATE ON customers FOR EACH ROW SET @a = 1", "shop") == Verdict::skip);
  CHECK(table_verdict("GRANT ALL ON *.* TO x", "shop") == Verdict::skip);
}

TEST_CASE("table-level PITR finds a statement naming a selected table and another ambiguous") {
  CHECK(table_verdict("UPDATE orders o JOIN customers c ON c.id = o.customer SET o.note = c.name", "shop") ==
        Verdict::ambiguous);
  CHECK(table_verdict("DELETE o FROM orders o, customers c WHERE c.id = o.customer", "shop") == Verdict::ambiguous);
  CHECK(table_verdict("DROP TABLE orders, customers", "shop") == Verdict::ambiguous);
  CHECK(table_verdict("RENAME TABLE orders TO old_orders", "shop") == Verdict::ambiguous);
  CHECK(table_verdict("DROP TRIGGER t", "shop") == Verdict::ambiguous);
  CHECK(table_verdict("DROP DATABASE shop", "") == Verdict::ambiguous);
  CHECK(table_verdict("CALL p()", "shop") == Verdict::ambiguous);
}

TEST_CASE("table-level PITR refuses statements whose trigger or routine writes a selected table") {
  HiddenWriters hidden{{{"shop", "customers"}}, {{"shop", "add_order"}}};
  std::vector<std::string> tables{"orders"};
  auto decision = [&](const char* sql, const char* default_database) {
    return decide_tables(analyse_statement(sql, default_database), "shop", tables, &hidden);
  };
  auto trigger = decision("INSERT INTO customers VALUES (1, 'ann')", "shop");
  CHECK(trigger.verdict == Verdict::ambiguous);
  CHECK(trigger.refuse);
  CHECK(decision("UPDATE shop.customers SET name = 'x'", "other").refuse);
  CHECK(decision("INSERT INTO log VALUES (ADD_ORDER(1))", "shop").refuse);
  CHECK(decision("INSERT INTO log VALUES (shop.add_order(1))", "other").refuse);
  CHECK(decision("INSERT INTO log VALUES (other.add_order(1))", "other").verdict == Verdict::skip);
  CHECK(decision("INSERT INTO log VALUES (1)", "shop").verdict == Verdict::skip);
  CHECK(decision("INSERT INTO orders VALUES (1)", "shop").verdict == Verdict::apply);
  // Without what the server holds, the statement text alone decides (as before).
  CHECK(decide_tables(analyse_statement("INSERT INTO customers VALUES (1)", "shop"), "shop", tables).verdict ==
        Verdict::skip);
}
