#include "sqlload/inspect.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/sha256.hpp"
#include "sqlload/dump_reader.hpp"

namespace mysqlpitr::sqlload {
namespace {

// Producers that end every complete dump with the marker, recognised by their first comment.
std::string find_producer(const std::string& head) {
  for (const char* prefix : {"-- MySQL dump", "-- MariaDB dump", "-- mysqlpitr"}) {
    size_t at = head.find(prefix);
    if (at != std::string::npos && (at == 0 || head[at - 1] == '\n')) {
      size_t end = head.find('\n', at);
      return core::trim(head.substr(at + 3, end == std::string::npos ? std::string::npos : end - at - 3));
    }
  }
  return {};
}

void add_once(std::vector<std::string>& list, const std::string& name) {
  if (!name.empty() && std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
}

}  // namespace

std::vector<std::string> DumpInspection::databases() const {
  std::vector<std::string> out;
  for (const auto& name : created) add_once(out, name);
  for (const auto& name : used) add_once(out, name);
  return out;
}

DumpInspection inspect_dump(const DumpSource& source, unsigned long long file_size, const ProgressFunction& progress,
                            bool with_sha256) {
  DumpInspection info;
  const std::string& path = source.name;
  info.path = path;
  info.file_size = file_size;

  std::optional<io::Sha256> digest;
  if (with_sha256) digest.emplace();
  DumpReader reader(source, {}, digest ? &*digest : nullptr);
  info.compression = reader.compression();
  DumpStatement item;
  LoadProgress state;
  std::set<std::string> objects;
  auto last = std::chrono::steady_clock::now();
  while (reader.next(item)) {
    ++info.statements;
    const Classification& what = item.what;
    switch (what.kind) {
      case StatementKind::data: ++info.data_statements; break;
      case StatementKind::use: add_once(info.used, what.database); break;
      case StatementKind::database:
        if (what.create) add_once(info.created, what.database);
        if (what.drop) add_once(info.dropped, what.database);
        break;
      case StatementKind::table:
        if (what.create) {
          ++info.tables;
          if (!what.table.empty()) add_once(info.table_names, what.table);
        }
        break;
      case StatementKind::object:
        if (!what.create || !objects.insert(what.object + " " + what.name).second) break;
        if (what.object == "view") ++info.views;
        else if (what.object == "procedure") ++info.procedures;
        else if (what.object == "function") ++info.functions;
        else if (what.object == "trigger") ++info.triggers;
        else if (what.object == "event") ++info.events;
        break;
      default: break;
    }
    if (progress && std::chrono::steady_clock::now() - last > std::chrono::milliseconds(200)) {
      last = std::chrono::steady_clock::now();
      state.file_bytes = reader.file_bytes_read();
      state.sql_bytes = reader.sql_bytes_read();
      state.statements = info.statements;
      progress(state);
    }
  }
  info.sql_bytes = reader.sql_bytes_read();
  if (digest) info.sha256 = digest->hex_digest();
  info.producer = find_producer(reader.head());
  info.marker_expected = !info.producer.empty();
  std::string tail = reader.tail();
  size_t marker = tail.rfind("-- Dump completed");
  if (marker != std::string::npos) {
    // Only trailing whitespace may follow the marker's line.
    size_t line_end = tail.find('\n', marker);
    std::string rest = line_end == std::string::npos ? std::string() : tail.substr(line_end);
    if (core::trim(rest).empty()) {
      info.marker_found = true;
      std::string line = tail.substr(marker, line_end == std::string::npos ? std::string::npos : line_end - marker);
      size_t on = line.find(" on ");
      if (on != std::string::npos) info.completed_on = core::trim(line.substr(on + 4));
    }
  }
  if (info.marker_expected && !info.marker_found)
    throw failure("{}: the dump is incomplete: it was written by {} but does not end with \"-- Dump completed\" "
                  "(the dump was interrupted or the file was cut)",
                  path, info.producer);
  return info;
}

}  // namespace mysqlpitr::sqlload
