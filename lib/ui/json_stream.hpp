#pragma once
// One JSON object written to a stream piece by piece, so that a command can print an array of any
// length (every event of a binlog) in constant memory. The text is what nlohmann::json::dump(2)
// prints for the same object, except that the keys come in the order they were written.
//
//   JsonStream stream(out);
//   stream.field("file", path);
//   stream.begin_array("events");
//   for (...) stream.item(event);   // each item is written at once, nothing is kept
//   stream.end_array();
//   stream.finish(envelope);        // the envelope's fields not written yet, then the closing brace
//
// finish() also closes an array left open (a command interrupted by an error mid-array), so the
// document stays valid whatever happened before. Strings that are not valid UTF-8 (a statement
// in a binlog may hold any bytes) are written with U+FFFD in place of the bad bytes.
#include <iosfwd>
#include <set>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace mysqlpitr::ui {

class JsonStream {
 public:
  explicit JsonStream(std::ostream& out) : out_(out) {}
  JsonStream(const JsonStream&) = delete;
  JsonStream& operator=(const JsonStream&) = delete;

  void field(const std::string& key, const nlohmann::json& value);
  void begin_array(const std::string& key);
  void item(const nlohmann::json& value);
  void end_array();
  // Writes the fields of the object `rest` whose keys were not written yet and ends the document
  // (with a newline). Nothing may be written after it.
  void finish(const nlohmann::json& rest);

  bool has(const std::string& key) const { return keys_.count(key) != 0; }
  bool finished() const { return finished_; }

 private:
  void open_field(const std::string& key);
  // Writes `value` as dump(2) would, its lines after the first shifted right by `indent` spaces.
  void write_value(const nlohmann::json& value, int indent);

  std::ostream& out_;
  std::set<std::string> keys_;
  bool in_array_ = false;
  bool array_empty_ = true;
  bool finished_ = false;
};

}  // namespace mysqlpitr::ui
