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

DataTask task(const std::string& table, size_t bytes, bool after_earlier = false) {
  DataTask t;
  t.table = table;
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
  auto first = d.pop();
  auto second = d.pop();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->table == "db.a");
  CHECK(second->table == "db.b");
  CHECK(first->sequence < second->sequence);
  CHECK_FALSE(d.pop());
}

TEST_CASE("the dispatcher makes the reader wait while the queue holds its capacity in bytes") {
  Dispatcher d(100);
  d.push(task("db.a", 60));
  std::atomic<bool> pushed{false};
  std::thread reader([&] {
    d.push(task("db.a", 60));  // 120 > 100: waits for room
    pushed = true;
  });
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(pushed.load());
  CHECK(d.queued_bytes() == 60);
  auto taken = d.pop();
  CHECK(taken);
  CHECK(eventually([&] { return pushed.load(); }));
  reader.join();
  CHECK(d.queued_bytes() == 60);
}

TEST_CASE("the dispatcher lets a task bigger than its capacity in when the queue is empty") {
  Dispatcher d(10);
  d.push(task("db.a", 1000));  // would wait forever otherwise
  CHECK(d.queued_bytes() == 1000);
}

TEST_CASE("waiting for a table returns only once its tasks have run, other tables do not count") {
  Dispatcher d(1 << 20);
  d.push(task("db.a", 1));
  d.push(task("db.b", 1));
  auto a = d.pop();
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
  auto b = d.pop();
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
  auto rows = d.pop();
  auto other = d.pop();
  auto keys = d.pop();
  auto later = d.pop();
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
  auto running = d.pop();
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
  CHECK_FALSE(d.pop());  // connections stop even though a task is still queued
  CHECK(d.failed());
  CHECK_THROWS_AS(d.rethrow_if_failed(), std::runtime_error);
}

TEST_CASE("connections blocked on an empty queue stop when it is closed") {
  Dispatcher d(100);
  std::atomic<int> stopped{0};
  std::vector<std::thread> connections;
  for (int i = 0; i < 3; ++i)
    connections.emplace_back([&] {
      while (d.pop()) {
      }
      ++stopped;
    });
  std::this_thread::sleep_for(20ms);
  CHECK(stopped.load() == 0);
  d.close();
  for (auto& t : connections) t.join();
  CHECK(stopped.load() == 3);
}
