#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"
#include "io/pipelined_sink.hpp"

using namespace mysqlpitr;

TEST_CASE("a pipelined sink hands every byte over in order") {
  std::string out;
  std::string expected;
  {
    io::PipelinedSink sink([&](std::string_view data) { out.append(data); }, /*max_queued=*/64, /*batch=*/16);
    for (int i = 0; i < 2000; ++i) {
      std::string piece = std::to_string(i) + ",";
      expected += piece;
      sink.write(piece);
    }
    sink.finish();
  }
  CHECK(out == expected);
}

TEST_CASE("a sink's error reaches the producer, and nothing is handed over after it") {
  int calls = 0;
  io::PipelinedSink sink(
      [&](std::string_view) {
        if (++calls == 3) throw failure("disk full");
      },
      /*max_queued=*/8, /*batch=*/4);
  bool thrown = false;
  try {
    for (int i = 0; i < 1000; ++i) sink.write("abcd");
    sink.finish();
  } catch (const Error& error) {
    thrown = std::string(error.what()) == "disk full";
  }
  CHECK(thrown);
  CHECK(calls == 3);
}

TEST_CASE("a pipelined sink dropped without finish stops its thread") {
  std::string out;
  {
    io::PipelinedSink sink([&](std::string_view data) { out.append(data); }, 8, 4);
    sink.write("abcdefgh");
  }
  CHECK(out.size() <= 8);
}
