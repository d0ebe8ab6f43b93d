// Decoded fields of real events, with the values mysqlbinlog prints for the same files.
#include <doctest/doctest.h>

#include <map>

#include "binlog/reader.hpp"
#include "fixtures.hpp"

using namespace mysqlpitr;
using namespace binlog_test;

namespace {

std::vector<binlog::Event> read_events(const std::string& path) {
  std::vector<binlog::Event> events;
  binlog::FileReader reader(path);
  while (const binlog::Event* event = reader.next()) events.push_back(*event);
  return events;
}

}  // namespace

TEST_CASE("query events carry their session status variables" * testing::skip_without(testing::mariadb_test_data())) {
  std::string path = fixture("std_data/mdev29078-mysql-bin.000001");
  testing::require(testing::mariadb_test_data());
  auto events = read_events(path);
  const binlog::Event& create = events.at(4);  // "# at 371": create table t1 ...
  REQUIRE(create.position == 371);
  auto* query = create.as<binlog::QueryEvent>();
  REQUIRE(query);
  CHECK(query->database == "test");
  CHECK(query->sql == "create table t1 (f1 timestamp, f2 timestamp)");
  CHECK(query->thread_id == 4);
  // SET @@session.sql_mode=1411383296; character_set_client=utf8mb3 (33), collation_connection=33,
  // collation_server=8. Variables at their defaults (lc_time_names, auto_increment) are not logged.
  CHECK(query->status.sql_mode == 1411383296ULL);
  CHECK(query->status.charset_client == 33);
  CHECK(query->status.collation_connection == 33);
  CHECK(query->status.collation_server == 8);
  CHECK_FALSE(query->status.lc_time_names.has_value());
  CHECK(query->status.flags2.has_value());
  CHECK_FALSE(query->status.unknown_code.has_value());
  CHECK(create.checksum_verified);

  auto* gtid = events.at(3).as<binlog::MariaGtidEvent>();
  REQUIRE(gtid);
  CHECK(gtid->gtid(events.at(3).header.server_id) == "0-1-1");
  CHECK((gtid->flags & 32) != 0);  // "ddl"
  CHECK(events.back().as<binlog::StopEvent>());
  CHECK(events.back().end_position == 920);
}

TEST_CASE("MySQL 8 compressed transaction payloads are expanded into their events" *
          testing::skip_without(testing::mariadb_test_data())) {
  std::string path = fixture("std_data/mdev35643_mysql_80_binlog.000001");
  testing::require(testing::mariadb_test_data());
  auto events = read_events(path);
  const binlog::Event* payload_event = nullptr;
  std::map<std::string, int> inner_types;
  std::uint32_t inner = 0;
  std::uint64_t inner_rows = 0;
  for (const auto& event : events) {
    if (event.as<binlog::TransactionPayloadEvent>()) payload_event = &event;
    if (event.payload_index > 0) {
      ++inner;
      ++inner_types[event.type_name()];
      CHECK(event.position == 1468);
      CHECK(event.end_position == 2297);
      if (auto* rows = event.as<binlog::RowsEvent>()) {
        CHECK(rows->table == "t1");
        CHECK(rows->database == "test");
        inner_rows += rows->row_count.value_or(0);
      }
    }
  }
  REQUIRE(payload_event);
  auto* payload = payload_event->as<binlog::TransactionPayloadEvent>();
  CHECK(payload->compression == 0);  // zstd
  CHECK(payload->uncompressed_size == 20188);
  CHECK(payload->payload_size == 792);
  CHECK(payload->event_count == inner);
  CHECK(inner_types["Query"] == 1);  // BEGIN
  CHECK(inner_types["Xid"] == 1);
  CHECK(inner_types["Table_map"] == inner_types["Write_rows"]);
  CHECK(inner_rows == static_cast<std::uint64_t>(inner_types["Write_rows"]));
  CHECK(inner_types["Write_rows"] > 50);

  // The file's last transaction is a partial JSON update (binlog_row_value_options=PARTIAL_JSON).
  const binlog::Event& partial = events.at(events.size() - 3);
  REQUIRE(partial.type_name() == "Update_rows_partial");
  auto* rows = partial.as<binlog::RowsEvent>();
  REQUIRE(rows);
  CHECK(rows->partial_json);
  CHECK(rows->row_count == 1);
  CHECK(events.back().as<binlog::RotateEvent>());
}

TEST_CASE("MySQL GTID events, Previous_gtids and Intvar decode" * testing::skip_without(testing::mariadb_test_data())) {
  std::string path = fixture("std_data/rpl/mysql-8.0.13-stm-temporal-round-binlog.000001");
  testing::require(testing::mariadb_test_data());
  auto events = read_events(path);
  CHECK(events.at(1).type_name() == "Previous_gtids");
  auto* anonymous = events.at(2).as<binlog::MysqlGtidEvent>();
  REQUIRE(anonymous);
  CHECK(anonymous->anonymous);
  CHECK(anonymous->gtid.empty());
  CHECK(anonymous->sequence_number == 1);
  auto* intvar = events.at(4).as<binlog::IntvarEvent>();
  REQUIRE(intvar);
  CHECK(intvar->kind == 2);  // INSERT_ID
  CHECK(intvar->value == 1);
  CHECK(events.at(4).header.log_pos == 346);
}

TEST_CASE("an event type the reader does not know is reported, not fatal") {
  // MySQL's Ignorable events are skipped by mysqlbinlog; we hand them out under their names and
  // any other code as Unknown_<code>.
  CHECK(binlog::type_name(200) == "Unknown_200");
  CHECK(binlog::type_name(binlog::type::write_rows) == "Write_rows");
  CHECK(binlog::type_name(binlog::type::mariadb_gtid) == "Gtid");
  CHECK(binlog::type_name(binlog::type::gtid_list) == "Gtid_list");
}
