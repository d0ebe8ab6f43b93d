#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sqlload/dispatcher.hpp"

using namespace mysqlpitr;
using sqlload::DataTask;
using sqlload::Dispatcher;
using namespace std::chrono_literals;

namespace {

DataTask task(const std::string& table, size_t bytes, bool after_earlier = false, size_t session = 0) {
  DataTask t;
  t.table = table;
  t.session = session;
  t.after_earlier = after_earlier;
  t.batch.add({std::string(bytes, 'x'), 0, 1, false});
  return t;
}

// Polls `condition` for up to two seconds (threads need a moment to get there).
template <class F>
bool eventually(F condition) {
  for (int i = 0; i < 400; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

}  // namespace

TEST_CASE("the dispatcher hands out tasks first in, first out, and nothing once closed and empty") {
  Dispatcher d(1 << 20);
  d.push(task("db.a", 10));
  d.push(task("db.b", 20));
  d.close();
  auto first = d.pop(0, 0);
  auto second = d.pop(0, 0);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->table == "db.a");
  CHECK(second->table == "db.b");
  CHECK(first->sequence < second->sequence);
  CHECK_FALSE(d.pop(0, 0));
}

TEST_CASE("the dispatcher makes the reader wait while the queue holds its capacity in bytes") {
  const size_t one = task("db.a", 60).batch.memory();
  CHECK(one >= 60);
  Dispatcher d(one * 2 - 1);
  d.push(task("db.a", 60));
  std::atomic<bool> pushed{false};
  std::thread reader([&] {
    d.push(task("db.a", 60));  // two would exceed the capacity: waits for room
    pushed = true;
  });
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(pushed.load());
  CHECK(d.queued_bytes() == one);
  auto taken = d.pop(0, 0);
  CHECK(taken);
  CHECK(eventually([&] { return pushed.load(); }));
  reader.join();
  CHECK(d.queued_bytes() == one);
}

TEST_CASE("the dispatcher lets a task bigger than its capacity in when the queue is empty") {
  Dispatcher d(10);
  d.push(task("db.a", 1000));  // would wait forever otherwise
  CHECK(d.queued_bytes() >= 1000);
}

TEST_CASE("a batch's memory is counted, and a capped batch holds about what it counts") {
  sqlload::Batch capped;
  capped.cap_growth(10000);
  for (int i = 0; i < 100; ++i) capped.add({std::string(98, 'x'), 0, 1, false});
  CHECK(capped.bytes() == 100 * 98 + 99 * 2);
  CHECK(capped.memory() >= capped.bytes());
  CHECK(capped.memory() - capped.bytes() < 100 * 32 + 1000);  // the statements' places, a little slack
  sqlload::Batch tiny;
  tiny.cap_growth(1 << 20);
  tiny.add({"INSERT INTO t VALUES (1)", 0, 1, false});
  CHECK(tiny.memory() < 1024);  // a one-row table does not hold a megabyte
}

TEST_CASE("waiting for a table returns only once its tasks have run, other tables do not count") {
  Dispatcher d(1 << 20);
  d.push(task("db.a", 1));
  d.push(task("db.b", 1));
  auto a = d.pop(0, 0);
  std::atomic<bool> idle{false};
  std::thread reader([&] {
    d.wait_table_idle("db.a");
    idle = true;
  });
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(idle.load());  // taken but not done yet
  d.done(*a);
  CHECK(eventually([&] { return idle.load(); }));
  reader.join();
  // db.b is still queued: waiting for every table must wait for it.
  std::atomic<bool> all_idle{false};
  std::thread reader2([&] {
    d.wait_idle();
    all_idle = true;
  });
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(all_idle.load());
  auto b = d.pop(0, 0);
  d.done(*b);
  CHECK(eventually([&] { return all_idle.load(); }));
  reader2.join();
}

TEST_CASE("a task marked after_earlier waits for the earlier tasks of its table only") {
  Dispatcher d(1 << 20);
  d.push(task("db.a", 1));
  d.push(task("db.b", 1));
  d.push(task("db.a", 1, true));
  d.push(task("db.a", 1));  // later rows of the same table do not hold it back
  auto rows = d.pop(0, 0);
  auto other = d.pop(1, 0);
  auto keys = d.pop(0, 0);
  auto later = d.pop(0, 0);
  REQUIRE(keys->after_earlier);
  std::atomic<bool> ran{false};
  std::thread connection([&] {
    d.wait_earlier(*keys);
    ran = true;
  });
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(ran.load());
  d.done(*other);
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(ran.load());  // db.b does not matter, db.a's first rows do
  d.done(*rows);
  CHECK(eventually([&] { return ran.load(); }));
  connection.join();
  d.done(*keys);
  d.done(*later);
}

TEST_CASE("a failure wakes the waiting reader and connections and is thrown to the reader") {
  Dispatcher d(10);
  d.push(task("db.a", 10));
  auto running = d.pop(0, 0);
  d.push(task("db.a", 10));
  std::atomic<int> woke{0};
  std::string pushed_error, waited_error;
  std::thread reader([&] {
    try {
      d.push(task("db.a", 10));  // full: waits
    } catch (const std::runtime_error& e) {
      pushed_error = e.what();
    }
    ++woke;
  });
  std::thread waiter([&] {
    try {
      d.wait_table_idle("db.a");
    } catch (const std::runtime_error& e) {
      waited_error = e.what();
    }
    ++woke;
  });
  std::this_thread::sleep_for(50ms);
  CHECK(woke.load() == 0);
  d.fail(std::make_exception_ptr(std::runtime_error("line 7 (byte 120): duplicate entry")));
  d.fail(std::make_exception_ptr(std::runtime_error("a later failure")));  // the first one wins
  CHECK(eventually([&] { return woke.load() == 2; }));
  reader.join();
  waiter.join();
  CHECK(pushed_error == "line 7 (byte 120): duplicate entry");
  CHECK(waited_error == pushed_error);
  CHECK_FALSE(d.pop(0, 0));  // connections stop even though a task is still queued
  CHECK(d.failed());
  CHECK_THROWS_AS(d.rethrow_if_failed(), std::runtime_error);
}

TEST_CASE("connections blocked on an empty queue stop when it is closed") {
  Dispatcher d(100);
  std::atomic<int> stopped{0};
  std::vector<std::thread> connections;
  for (int i = 0; i < 3; ++i)
    connections.emplace_back([&] {
      while (d.pop(0, 0)) {
      }
      ++stopped;
    });
  std::this_thread::sleep_for(20ms);
  CHECK(stopped.load() == 0);
  d.close();
  for (auto& t : connections) t.join();
  CHECK(stopped.load() == 3);
}

TEST_CASE("each connection loads tables of its own while another table is queued") {
  Dispatcher d(1 << 20);
  d.push(task("db.a", 10));
  d.push(task("db.a", 10));
  d.push(task("db.b", 10));
  d.push(task("db.a", 10));
  auto a1 = d.pop(0, 0);
  auto b1 = d.pop(1, 0);  // not db.a's second batch: connection 0 holds db.a
  auto a2 = d.pop(0, 0);
  REQUIRE(a1);
  REQUIRE(b1);
  REQUIRE(a2);
  CHECK(a1->table == "db.a");
  CHECK(b1->table == "db.b");
  CHECK(a2->table == "db.a");
  CHECK(a1->sequence < a2->sequence);  // a table's batches leave in file order
  // Once db.b is done it is nobody's: connection 1 may take db.a's rows only by sharing, and it
  // does not share while the reader can still bring a table of its own.
  d.done(*b1);
  std::atomic<bool> took{false};
  std::thread second([&] {
    auto shared = d.pop(1, 0);
    took = shared.has_value();
  });
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(took.load());
  d.push(task("db.c", 10));
  CHECK(eventually([&] { return took.load(); }));  // took db.c
  second.join();
  CHECK(d.queued_bytes() == task("db.a", 10).batch.memory());  // db.a's third batch waits for connection 0
}

TEST_CASE("a connection shares a held table when the reader is blocked or done, rather than idle") {
  Dispatcher d(task("db.a", 10).batch.memory() * 5 / 2);
  d.push(task("db.a", 10));
  d.push(task("db.a", 10));
  auto first = d.pop(0, 0);
  std::atomic<bool> took{false};
  std::thread idle([&] {
    auto shared = d.pop(1, 0);
    took = shared.has_value() && shared->table == "db.a";
  });
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(took.load());  // the reader can still go on: it may bring another table
  d.push(task("db.a", 10));
  std::thread reader([&] { d.push(task("db.a", 10)); });  // a third does not fit: the reader waits
  CHECK(eventually([&] { return took.load(); }));
  idle.join();
  reader.join();

  Dispatcher finished(1 << 20);
  finished.push(task("db.a", 10));
  finished.push(task("db.a", 10));
  auto running = finished.pop(0, 0);
  finished.close();
  auto rest = finished.pop(1, 0);  // no table can come any more: share
  REQUIRE(rest);
  CHECK(rest->table == "db.a");
}

TEST_CASE("a connection takes rows read at or after its session first; earlier ones last, oldest of the table") {
  // one.t's rows were read after `USE one` (session 1), two's after `USE two` (session 2).
  Dispatcher d(1 << 20);
  d.push(task("one.t", 10, false, 1));
  d.push(task("one.t", 10, false, 1));
  d.push(task("two.t", 10, false, 2));
  d.push(task("two.u", 10, false, 2));
  auto first = d.pop(0, 0);
  REQUIRE(first);
  CHECK(first->table == "one.t");
  auto second = d.pop(1, 0);  // one.t is connection 0's
  REQUIRE(second);
  CHECK(second->table == "two.t");
  d.close();  // nothing more comes: tables may be shared now
  auto third = d.pop(1, 2);   // two.u (session 2) before one.t's rows of session 1
  REQUIRE(third);
  CHECK(third->table == "two.u");
  auto fourth = d.pop(1, 2);  // only one.t's are left: taken, but from before the session
  REQUIRE(fourth);
  CHECK(fourth->table == "one.t");
  CHECK(fourth->session < 2);  // the caller starts a fresh session for it
  CHECK(first->sequence < fourth->sequence);
}

TEST_CASE("while the reader waits for a table's rows to be in, an idle connection shares that table") {
  Dispatcher d(1 << 20);
  d.push(task("db.a", 10));
  d.push(task("db.a", 10));
  auto running = d.pop(0, 0);
  std::atomic<bool> shared{false};
  std::thread idle([&] {
    auto task = d.pop(1, 0);
    shared = task.has_value();
    if (task) d.done(*task);
  });
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(shared.load());  // the reader may still bring another table
  std::atomic<bool> idle_table{false};
  std::thread reader([&] {
    d.wait_table_idle("db.a");  // e.g. before an ALTER TABLE of db.a
    idle_table = true;
  });
  CHECK(eventually([&] { return shared.load(); }));
  d.done(*running);
  CHECK(eventually([&] { return idle_table.load(); }));
  idle.join();
  reader.join();
}
