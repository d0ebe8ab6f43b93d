#include "ui/json_stream.hpp"

#include <ostream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace mysqlpitr::ui {

void JsonStream::write_value(const nlohmann::json& value, int indent) {
  std::string text = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  // A dumped string never holds a raw newline (it is escaped), so every newline starts a line.
  std::size_t start = 0;
  for (std::size_t newline = text.find('\n'); newline != std::string::npos; newline = text.find('\n', start)) {
    out_.write(text.data() + start, static_cast<std::streamsize>(newline + 1 - start));
    for (int i = 0; i < indent; ++i) out_.put(' ');
    start = newline + 1;
  }
  out_.write(text.data() + start, static_cast<std::streamsize>(text.size() - start));
}

void JsonStream::open_field(const std::string& key) {
  if (finished_) throw std::logic_error("JsonStream: field '" + key + "' written after finish()");
  if (in_array_) end_array();
  out_ << (keys_.empty() ? "{\n  " : ",\n  ");
  keys_.insert(key);
  write_value(nlohmann::json(key), 0);
  out_ << ": ";
}

void JsonStream::field(const std::string& key, const nlohmann::json& value) {
  open_field(key);
  write_value(value, 2);
}

void JsonStream::begin_array(const std::string& key) {
  open_field(key);
  out_ << '[';
  in_array_ = true;
  array_empty_ = true;
}

void JsonStream::item(const nlohmann::json& value) {
  if (!in_array_) throw std::logic_error("JsonStream: item() outside an array");
  out_ << (array_empty_ ? "\n    " : ",\n    ");
  array_empty_ = false;
  write_value(value, 4);
}

void JsonStream::end_array() {
  if (!in_array_) return;
  out_ << (array_empty_ ? "]" : "\n  ]");
  in_array_ = false;
}

void JsonStream::finish(const nlohmann::json& rest) {
  if (finished_) return;
  end_array();
  for (const auto& [key, value] : rest.items())
    if (!has(key)) field(key, value);
  out_ << (keys_.empty() ? "{}\n" : "\n}\n");
  out_.flush();
  finished_ = true;
}

}  // namespace mysqlpitr::ui
