// `binlogs show` filters follow mysqlbinlog: stop at the first event at or past the stop point,
// skip before the start, keep the format description, filter by the database an event names.
#include <doctest/doctest.h>

#include "binlog/show.hpp"

using namespace mysqlpitr;

namespace {

binlog::Event query(std::uint64_t position, std::uint32_t time, const std::string& database) {
  binlog::Event event;
  event.header.type_code = binlog::type::query;
  event.header.timestamp = time;
  event.position = position;
  event.end_position = position + 100;
  binlog::QueryEvent body;
  body.database = database;
  body.sql = "INSERT INTO t VALUES (1)";
  event.body = body;
  return event;
}

}  // namespace

TEST_CASE("show filters stop at the stop point and skip before the start, as mysqlbinlog does") {
  binlog::ShowFilter filter;
  filter.start_position = 200;
  filter.stop_position = 500;
  CHECK(binlog::judge(query(100, 10, "shop"), filter) == binlog::Verdict::skip);
  CHECK(binlog::judge(query(200, 10, "shop"), filter) == binlog::Verdict::show);
  CHECK(binlog::judge(query(500, 10, "shop"), filter) == binlog::Verdict::stop);

  binlog::ShowFilter times;
  times.start_time = 100;
  times.stop_time = 200;
  CHECK(binlog::judge(query(4000, 99, "shop"), times) == binlog::Verdict::skip);
  CHECK(binlog::judge(query(4000, 100, "shop"), times) == binlog::Verdict::show);
  CHECK(binlog::judge(query(4000, 200, "shop"), times) == binlog::Verdict::stop);
}

TEST_CASE("the database filter drops events naming another database and keeps the rest") {
  binlog::ShowFilter filter;
  filter.database = "shop";
  CHECK(binlog::judge(query(4, 1, "shop"), filter) == binlog::Verdict::show);
  CHECK(binlog::judge(query(4, 1, "other"), filter) == binlog::Verdict::skip);
  binlog::Event xid;
  xid.header.type_code = binlog::type::xid;
  xid.body = binlog::XidEvent{7};
  CHECK(binlog::judge(xid, filter) == binlog::Verdict::show);
}

TEST_CASE("event JSON carries the fields CLI.md fixes and the essentials of the event") {
  auto json = binlog::event_json(query(1234, 1700000000, "shop"));
  for (const char* key : {"position", "end_position", "type", "timestamp", "server_id"}) {
    CHECK(json.contains(key));
  }
  CHECK(json["type"] == "Query");
  CHECK(json["position"] == 1234);
  CHECK(json["database"] == "shop");
  CHECK(json["sql"] == "INSERT INTO t VALUES (1)");
  std::string line = binlog::event_line(query(1234, 1700000000, "shop"));
  CHECK(line.find("Query") != std::string::npos);
  CHECK(line.find("db=shop INSERT INTO t VALUES (1)") != std::string::npos);
}
