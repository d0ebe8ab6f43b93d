#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "sqlload/splitter.hpp"

using namespace mysqlpitr;
using sqlload::Splitter;
using sqlload::Statement;

namespace {

// Feeds `input` in pieces of `piece` bytes (to cross buffer boundaries everywhere).
std::vector<Statement> split(const std::string& input, size_t piece = 1 << 16, size_t chunk = 1 << 16) {
  size_t at = 0;
  Splitter splitter(
      [&](char* buffer, size_t size) {
        size_t count = std::min({size, piece, input.size() - at});
        std::memcpy(buffer, input.data() + at, count);
        at += count;
        return count;
      },
      chunk);
  std::vector<Statement> out;
  Statement statement;
  while (splitter.next(statement)) out.push_back(statement);
  return out;
}

std::vector<std::string> texts(const std::string& input, size_t piece = 1 << 16, size_t chunk = 1 << 16) {
  std::vector<std::string> out;
  for (auto& s : split(input, piece, chunk)) out.push_back(s.text);
  return out;
}

using Texts = std::vector<std::string>;

// The same input split with every small chunk size gives the same statements.
void check_all_chunkings(const std::string& input, const Texts& expected) {
  for (size_t piece : {1, 2, 3, 5, 7, 64}) {
    CAPTURE(piece);
    CHECK(texts(input, piece, 16) == expected);
  }
  CHECK(texts(input) == expected);
}

}  // namespace

TEST_CASE("statements end at semicolons, leading and trailing whitespace dropped") {
  check_all_chunkings("SELECT 1;\n  SELECT 2 ;\n\nSELECT 3;", {"SELECT 1", "SELECT 2", "SELECT 3"});
}

TEST_CASE("empty statements between delimiters are not statements") {
  check_all_chunkings(";;  ;\nSELECT 1;;", {"SELECT 1"});
}

TEST_CASE("a final statement without a terminator is still a statement") {
  check_all_chunkings("SELECT 1;\nSELECT 2\n  ", {"SELECT 1", "SELECT 2"});
}

TEST_CASE("semicolons inside single, double and backtick quotes do not end a statement") {
  check_all_chunkings("INSERT INTO `a;b` VALUES ('x;y',\"p;q\");SELECT 2;",
                      {"INSERT INTO `a;b` VALUES ('x;y',\"p;q\")", "SELECT 2"});
}

TEST_CASE("doubled quotes stay inside the string") {
  check_all_chunkings("SELECT 'it''s;', \"say \"\"hi;\"\"\", `odd``name;`;SELECT 2",
                      {"SELECT 'it''s;', \"say \"\"hi;\"\"\", `odd``name;`", "SELECT 2"});
}

TEST_CASE("backslash escapes a quote or a backslash inside strings") {
  check_all_chunkings(R"(SELECT 'a\';b', "c\";d", 'e\\';SELECT 2)",
                      {R"(SELECT 'a\';b', "c\";d", 'e\\')", "SELECT 2"});
}

TEST_CASE("backslash is ordinary inside backtick identifiers, as the server reads them") {
  check_all_chunkings("CREATE TABLE `a\\` (x int);SELECT 2;", {"CREATE TABLE `a\\` (x int)", "SELECT 2"});
}

TEST_CASE("with NO_BACKSLASH_ESCAPES a backslash before a quote is an ordinary character") {
  std::string input = "SELECT 'a\\';SELECT 2;";
  size_t at = 0;
  Splitter splitter([&](char* buffer, size_t size) {
    size_t count = std::min(size, input.size() - at);
    std::memcpy(buffer, input.data() + at, count);
    at += count;
    return count;
  });
  splitter.set_no_backslash_escapes(true);
  Statement s;
  REQUIRE(splitter.next(s));
  CHECK(s.text == "SELECT 'a\\'");
  REQUIRE(splitter.next(s));
  CHECK(s.text == "SELECT 2");
}

TEST_CASE("dash dash space comments hide delimiters; dash dash without a space is an operator") {
  check_all_chunkings("SELECT 1 -- not here; nor here\n+ 1;\nSELECT 5--1;\nSELECT 2",
                      {"SELECT 1 -- not here; nor here\n+ 1", "SELECT 5--1", "SELECT 2"});
}

TEST_CASE("dash dash followed by a tab, CR or end of input is a comment") {
  check_all_chunkings("SELECT 1 --\t;x\n;SELECT 2 --\r\n;SELECT 3 --", {"SELECT 1", "SELECT 2", "SELECT 3"});
}

TEST_CASE("hash comments run to the end of the line") {
  check_all_chunkings("# header; still comment\nSELECT 1 # tail;\n;SELECT 2;", {"SELECT 1", "SELECT 2"});
}

TEST_CASE("block comments hide delimiters and are dropped at the start and end of a statement") {
  check_all_chunkings("/* a; b */ SELECT /* in; side */ 1 /* after; */;\n/* only a comment; */;SELECT 2;",
                      {"SELECT /* in; side */ 1", "SELECT 2"});
}

TEST_CASE("version comments are code: kept, and a delimiter inside them ends the statement as in the client") {
  check_all_chunkings(
      "/*!40101 SET NAMES utf8mb4 */;\n/*M!100101 SET x=1 */;\n/*!50003 CREATE*/ /*!50020 DEFINER=`r`@`h`*/;",
      {"/*!40101 SET NAMES utf8mb4 */", "/*M!100101 SET x=1 */", "/*!50003 CREATE*/ /*!50020 DEFINER=`r`@`h`*/"});
  check_all_chunkings("/*!40101 SET a=1; SET b=2 */;", {"/*!40101 SET a=1", "SET b=2 */"});
}

TEST_CASE("a sandbox line of recent mariadb-dump joins the next statement, as the server ignores it") {
  check_all_chunkings("/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19\n/*!40101 SET NAMES utf8 */;",
                      {"/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19\n/*!40101 SET NAMES utf8 */"});
}

TEST_CASE("DELIMITER changes the terminator and back, and semicolons in bodies stay") {
  std::string input =
      "DELIMITER ;;\n"
      "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT ';;'; END ;;\n"
      "DELIMITER ;\n"
      "SELECT 2;\n";
  check_all_chunkings(input, {"CREATE PROCEDURE p() BEGIN SELECT 1; SELECT ';;'; END", "SELECT 2"});
  auto statements = split(input);
  CHECK(statements[0].custom_delimiter);
  CHECK_FALSE(statements[1].custom_delimiter);
}

TEST_CASE("DELIMITER is case-insensitive, accepts long delimiters and CRLF line ends") {
  check_all_chunkings("delimiter $$\r\nSELECT 1; SELECT 2$$\r\nDeLiMiTeR ;\r\nSELECT 3;\r\n",
                      {"SELECT 1; SELECT 2", "SELECT 3"});
}

TEST_CASE("DELIMITER inside a string or in the middle of a statement is not a command") {
  check_all_chunkings("SELECT 'x\nDELIMITER ;;\n';SELECT 2;", {"SELECT 'x\nDELIMITER ;;\n'", "SELECT 2"});
}

TEST_CASE("a DELIMITER line without a delimiter is an error") {
  CHECK_THROWS_AS(split("DELIMITER   \nSELECT 1;"), Error);
}

TEST_CASE("USE ends at the end of its line like the client's command, or at the delimiter") {
  check_all_chunkings("USE shop\nSELECT 1;\nuse `my;db`;\nSELECT 2;", {"USE shop", "SELECT 1", "use `my;db`", "SELECT 2"});
  auto statements = split("USE shop\nSELECT 1;");
  CHECK(statements[0].custom_delimiter);
}

TEST_CASE("a word starting with use is not a USE command") {
  check_all_chunkings("user_update();\nSELECT 1;", {"user_update()", "SELECT 1"});
}

TEST_CASE("CRLF line ends: statements keep inner CRs, lose trailing ones") {
  check_all_chunkings("SELECT 1\r\n, 2;\r\nSELECT 3;\r\n", {"SELECT 1\r\n, 2", "SELECT 3"});
}

TEST_CASE("statements spanning many buffer refills come out whole") {
  std::string big = "INSERT INTO t VALUES ";
  for (int i = 0; i < 2000; ++i) big += "(" + std::to_string(i) + ",'v;a\\'l" + std::to_string(i) + "'),";
  big.back() = ';';
  std::string input = big + "\nSELECT 2;";
  for (size_t piece : {1, 13, 100, 4096}) {
    auto out = texts(input, piece, 32);
    REQUIRE(out.size() == 2);
    CHECK(out[0] == big.substr(0, big.size() - 1));
    CHECK(out[1] == "SELECT 2");
  }
}

TEST_CASE("each statement carries its byte offset and line in the input") {
  std::string input = "-- header\n\n/* c */ SELECT 1;\n  SELECT\n2;\nDELIMITER ;;\nSELECT 'a\nb';;\nSELECT 4";
  for (size_t piece : {1, 3, 1000}) {
    auto statements = split(input, piece, 16);
    REQUIRE(statements.size() == 4);
    CHECK(statements[0].line == 3);
    CHECK(statements[0].offset == input.find("SELECT 1"));
    CHECK(statements[1].line == 4);
    CHECK(statements[1].offset == input.find("SELECT\n2"));
    CHECK(statements[2].line == 7);
    CHECK(statements[2].text == "SELECT 'a\nb'");
    CHECK(statements[3].line == 9);
    CHECK(statements[3].offset == input.find("SELECT 4"));
  }
}

TEST_CASE("input ending inside a string is an error naming the line where the string starts") {
  try {
    split("SELECT 1;\nINSERT INTO t VALUES ('abc", 2, 16);
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(std::string(error.what()).find("line 2") != std::string::npos);
    CHECK(std::string(error.what()).find("truncated") != std::string::npos);
  }
}

TEST_CASE("input ending inside a block comment or after a lone backslash in a string is an error") {
  CHECK_THROWS_AS(split("SELECT 1; /* never closed"), Error);
  CHECK_THROWS_AS(split("SELECT 'abc\\"), Error);
  CHECK_THROWS_AS(split("SELECT `abc"), Error);
}

TEST_CASE("a block comment whose closing star and slash fall in different reads is closed") {
  for (size_t piece : {1, 2, 3})
    CHECK(texts("SELECT /* x **/ 1;/***/SELECT 2;", piece, 16) == Texts{"SELECT /* x **/ 1", "SELECT 2"});
}

TEST_CASE("a mysqldump trigger section splits like the client splits it") {
  std::string input =
      "/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;\n"
      "DELIMITER ;;\n"
      "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `trg` BEFORE INSERT ON `t` FOR EACH "
      "ROW BEGIN\n  SET NEW.a = CONCAT(NEW.a, ';');\nEND */;;\n"
      "DELIMITER ;\n"
      "/*!50003 SET sql_mode              = @saved_sql_mode */ ;\n";
  auto statements = split(input);
  REQUIRE(statements.size() == 3);
  CHECK(statements[1].text.rfind("/*!50003 CREATE*/", 0) == 0);
  CHECK(statements[1].text.substr(statements[1].text.size() - 6) == "END */");
  CHECK(statements[1].line == 3);
  CHECK(statements[2].text == "/*!50003 SET sql_mode              = @saved_sql_mode */");
}
