// Backup -> restore -> backup round trips through libmongoc, against the wire-protocol test
// double or a real server (MYSQLPITR_TEST_MONGODB_URI). Databases used: mysqlpitr_it_*.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "../../unit/mongo/fixtures.hpp"
#include "core/error.hpp"
#include "mongo/backup.hpp"
#include "mongo/bson_stream.hpp"
#include "mongo/names.hpp"
#include "mongo/restore.hpp"
#include "mongo/restore_plan.hpp"
#include "mongo/verify.hpp"
#include "mongo_target.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::mongo;
namespace fs = std::filesystem;

namespace {
const std::string shop = "mysqlpitr_it_shop";
const std::string stock = "mysqlpitr_it_stock";
const std::string slashes(80, '/');  // escapes to 240 bytes: a truncated file name

Bson json(const std::string& text) { return Bson::from_json(text); }

void command(Client& client, const std::string& db, const std::string& text) { client.command(db, json(text).get()); }

// Documents of many BSON types, so a byte-for-byte comparison means something.
void seed(Client& client, int orders) {
  for (const auto& db : {shop, stock}) command(client, db, R"({"dropDatabase": 1})");
  command(client, shop, R"({"create": "capped_log", "capped": true, "size": 1048576})");
  DocumentBatch batch;
  for (int i = 0; i < orders; ++i) {
    Bson doc = json(fmt::format(
        R"({{"_id": {{"$numberInt": "{0}"}}, "customer": "c{1}", "total": {{"$numberDecimal": "{0}.25"}},
            "when": {{"$date": {{"$numberLong": "{2}"}}}}, "lines": [{{"sku": "A", "qty": {{"$numberLong": "3"}}}}, {{"sku": "ü€"}}],
            "blob": {{"$binary": {{"base64": "AAECAw==", "subType": "00"}}}}, "ratio": {{"$numberDouble": "0.{0}"}},
            "pattern": {{"$regularExpression": {{"pattern": "^a", "options": "i"}}}}, "none": null, "flag": true}})",
        i, i % 7, 1700000000000LL + i));
    batch.add(doc.bytes());
  }
  client.insert_unordered(shop, "orders", batch);
  command(client, shop, R"({"createIndexes": "orders", "indexes": [{"key": {"customer": 1, "when": -1}, "name": "customer_1_when_-1"},
                           {"key": {"total": 1}, "name": "total_unique", "unique": true}]})");
  batch.clear();
  Bson odd = json(R"({"_id": "x", "v": 1})");
  batch.add(odd.bytes());
  client.insert_unordered(shop, "with space/and%percent", batch);
  client.insert_unordered(shop, slashes, batch);
  client.insert_unordered(stock, "items", batch);
  command(client, shop, R"({"create": "big_orders", "viewOn": "orders", "pipeline": [{"$match": {"flag": true}}]})");
}

fs::path backup(const mongo_it::Target& target, const fs::path& dir, const std::string& name, bool gzip = false, int jobs = 2) {
  BackupOptions options;
  options.backup_dir = dir;
  options.folder_name = name;
  options.databases = {shop, stock};
  options.gzip = gzip;
  options.jobs = jobs;
  options.batch_size = 7;  // many getMores even for small collections
  return run_backup(target.settings(), options).folder;
}

std::vector<std::string> documents_of(const fs::path& file) {
  std::vector<std::string> docs;
  BsonFileReader reader(file);
  while (auto doc = reader.next()) docs.emplace_back(reinterpret_cast<const char*>(doc->data()), doc->size());
  return docs;
}

// Every data file of `a` has the same documents, byte for byte, in `b` (in the same order on the
// test double; as a multiset on a real server, whose natural order is not promised).
void require_same_documents(const fs::path& a, const fs::path& b, bool same_order) {
  auto dump_a = scan_dump_folder(a);
  auto dump_b = scan_dump_folder(b);
  REQUIRE(dump_a.collections.size() == dump_b.collections.size());
  for (std::size_t i = 0; i < dump_a.collections.size(); ++i) {
    const auto& ca = dump_a.collections[i];
    const auto& cb = dump_b.collections[i];
    CAPTURE(ca.database + "." + ca.name);
    REQUIRE(ca.name == cb.name);
    REQUIRE(ca.data_file.empty() == cb.data_file.empty());
    if (ca.data_file.empty()) continue;
    auto da = documents_of(ca.data_file);
    auto db = documents_of(cb.data_file);
    if (!same_order) {
      std::sort(da.begin(), da.end());
      std::sort(db.begin(), db.end());
    }
    CHECK(da == db);
    REQUIRE(ca.metadata.has_value() == cb.metadata.has_value());
    if (ca.metadata) {
      CHECK(ca.metadata->options.canonical_json() == cb.metadata->options.canonical_json());
      REQUIRE(ca.metadata->indexes.size() == cb.metadata->indexes.size());
      for (std::size_t k = 0; k < ca.metadata->indexes.size(); ++k) {
        CHECK(ca.metadata->indexes[k].canonical_json() == cb.metadata->indexes[k].canonical_json());
      }
    }
  }
}

RestorePlan plan_for(const fs::path& folder, std::vector<std::string> databases, bool drop = true) {
  RestoreSelection selection;
  selection.databases = std::move(databases);
  selection.drop = drop;
  return plan_restore(scan_dump_folder(folder), selection);
}
}  // namespace

using mongo_it::Target;

TEST_CASE("backup, restore into emptied databases, backup again: the same documents byte for byte") {
  Target target;
  Client client(target.settings());
  seed(client, 250);
  mongo_test::ScratchFolder scratch;
  fs::path first = backup(target, scratch.path(), "backup_first");

  CHECK(fs::exists(first / shop / "orders.bson"));
  CHECK(fs::exists(first / shop / "with+space%2Fand%25percent.bson"));
  CHECK(fs::exists(first / shop / (collection_file_stem(slashes) + ".metadata.json")));
  CHECK(fs::exists(first / shop / "big_orders.metadata.json"));
  CHECK_FALSE(fs::exists(first / shop / "big_orders.bson"));
  auto report = verify_dump_folder(first);
  CHECK(report.ok());

  for (const auto& db : {shop, stock}) command(client, db, R"({"dropDatabase": 1})");
  auto plan = plan_for(first, {shop, stock});
  CHECK(plan.total_documents() == 250 + 1 + 1 + 1);
  RestoreOptions options;
  options.jobs = 2;
  options.batch_documents = 40;  // several batches per collection
  auto restored = run_restore(target.settings(), plan, options);
  CHECK(restored.failures() == 0);
  CHECK(restored.documents() == 253);

  fs::path second = backup(target, scratch.path(), "backup_second");
  require_same_documents(first, second, target.is_test_double());
  if (target.is_test_double()) {
    CHECK(mongo_test::read_file(first / shop / "orders.bson") == mongo_test::read_file(second / shop / "orders.bson"));
  }
}

TEST_CASE("a gzip backup holds the same documents as a plain one and restores the same") {
  Target target;
  Client client(target.settings());
  seed(client, 60);
  mongo_test::ScratchFolder scratch;
  fs::path plain = backup(target, scratch.path(), "backup_plain");
  fs::path gz = backup(target, scratch.path(), "backup_gz", true, 1);
  CHECK(fs::exists(gz / shop / "orders.bson.gz"));
  CHECK(fs::exists(gz / shop / "orders.metadata.json.gz"));
  require_same_documents(plain, gz, true);

  command(client, shop, R"({"dropDatabase": 1})");
  CHECK(run_restore(target.settings(), plan_for(gz, {shop}), {}).failures() == 0);
  fs::path again = backup(target, scratch.path(), "backup_again");
  require_same_documents(plain, again, target.is_test_double());
}

TEST_CASE("a partial restore touches only the named database") {
  Target target;
  Client client(target.settings());
  seed(client, 5);
  mongo_test::ScratchFolder scratch;
  fs::path folder = backup(target, scratch.path(), "backup_partial");
  command(client, shop, R"({"drop": "orders"})");
  command(client, stock, R"({"dropDatabase": 1})");
  CHECK(run_restore(target.settings(), plan_for(folder, {stock}), {}).failures() == 0);
  auto names = client.database_names();
  CHECK(std::find(names.begin(), names.end(), stock) != names.end());
  auto collections = client.collections(shop);
  CHECK(std::none_of(collections.begin(), collections.end(), [](const auto& c) { return c.name == "orders"; }));
}

TEST_CASE("--no-drop keeps existing documents and reports the duplicates as a failed collection") {
  Target target;
  Client client(target.settings());
  seed(client, 5);
  mongo_test::ScratchFolder scratch;
  fs::path folder = backup(target, scratch.path(), "backup_nodrop");
  auto result = run_restore(target.settings(), plan_for(folder, {stock}, false), {});
  REQUIRE(result.collections.size() == 1);
  CHECK(result.collections[0].error.find("items") != std::string::npos);
  CHECK_FALSE(result.collections[0].dropped);
}

// A real server cannot be made to fail a read half way: the case needs the test double.
TEST_CASE("a backup that fails half way leaves no backup_ folder and no partial folder" *
          doctest::skip(!mongo_it::real_server_uri().empty()) *
          doctest::description("the test double's injected read failure (MYSQLPITR_TEST_MONGODB_URI is set)")) {
  Target target;
  REQUIRE(target.is_test_double());
  Client client(target.settings());
  seed(client, 5);
  DocumentBatch batch;
  Bson doc = json(R"({"_id": 1})");
  batch.add(doc.bytes());
  client.insert_unordered(shop, "fail_on_find_here", batch);
  mongo_test::ScratchFolder scratch;
  CHECK_THROWS_WITH_AS(backup(target, scratch.path(), "backup_broken"), doctest::Contains("injected failure"), Error);
  CHECK(fs::is_empty(scratch.path()));
}

TEST_CASE("naming a database the server does not have is refused before anything is written") {
  Target target;
  mongo_test::ScratchFolder scratch;
  BackupOptions options;
  options.backup_dir = scratch.path();
  options.folder_name = "backup_x";
  options.databases = {"mysqlpitr_it_absent"};
  CHECK_THROWS_WITH_AS(run_backup(target.settings(), options), doctest::Contains("does not exist"), Error);
  CHECK(fs::is_empty(scratch.path()));
}
