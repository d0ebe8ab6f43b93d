#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "ui/console.hpp"
#include "ui/json_stream.hpp"

using namespace mysqlpitr;
using nlohmann::json;

TEST_CASE("a streamed document is the text dump(2) prints for the same object") {
  // Keys written in nlohmann's (sorted) order, so the whole text can be compared.
  json whole = {{"a_file", "mysql-bin.000001"},
                {"b_events", {{{"position", 4}, {"type", "Format_desc"}, {"gtids", {"0-1-2"}}}, {{"position", 256}}}},
                {"c_empty", json::array()},
                {"d_object", {{"x", 1}}},
                {"ok", true}};
  std::ostringstream out;
  ui::JsonStream stream(out);
  stream.field("a_file", whole["a_file"]);
  stream.begin_array("b_events");
  for (const auto& item : whole["b_events"]) stream.item(item);
  stream.end_array();
  stream.begin_array("c_empty");
  stream.finish({{"d_object", whole["d_object"]}, {"ok", true}});
  CHECK(out.str() == whole.dump(2) + "\n");
}

TEST_CASE("finish closes an array left open and adds only the fields not written yet") {
  std::ostringstream out;
  ui::JsonStream stream(out);
  stream.field("file", "f");
  stream.begin_array("events");
  stream.item({{"position", 4}});
  // The command stopped mid-array (an error); the envelope follows and repeats "file".
  stream.finish({{"ok", false}, {"errors", {"binlog f: at byte offset 120: truncated"}}, {"file", "other"}});
  json parsed = json::parse(out.str());
  CHECK(parsed["events"].size() == 1);
  CHECK(parsed["file"] == "f");
  CHECK(parsed["ok"] == false);
  CHECK(parsed["errors"][0] == "binlog f: at byte offset 120: truncated");
  CHECK(stream.finished());
}

TEST_CASE("bytes that are not UTF-8 in a streamed string are replaced, the document stays valid") {
  std::ostringstream out;
  ui::JsonStream stream(out);
  stream.begin_array("events");
  stream.item({{"sql", std::string("INSERT 'caf\xe9'")}});
  stream.finish(json::object());
  json parsed = json::parse(out.str());
  CHECK(parsed["events"][0]["sql"] == "INSERT 'caf\xef\xbf\xbd'");
}

TEST_CASE("the console completes a streamed document with the envelope instead of printing a second one") {
  std::istringstream in;
  std::ostringstream out, err;
  ui::ConsoleOptions options;
  options.json = true;
  ui::Console console(ui::Terminal{&in, &out, &err, false, false}, options);
  console.json_stream().begin_array("events");
  console.json_stream().item({{"position", 4}});
  console.json_document({{"ok", true}, {"exit_code", 0}, {"errors", json::array()}});
  json parsed = json::parse(out.str());  // one document: parse() rejects trailing text
  CHECK(parsed["events"].size() == 1);
  CHECK(parsed["ok"] == true);
  CHECK(parsed["exit_code"] == 0);
}
