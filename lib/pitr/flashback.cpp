#include "pitr/flashback.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

#include "binlog/reader.hpp"
#include "core/error.hpp"
#include "pitr/flashback_bulk.hpp"

namespace mysqlpitr::pitr {
namespace {

constexpr int kDuplicateKey = 1062;
constexpr std::size_t kListed = 20;

// Engines whose changes a ROLLBACK takes back (the undo runs in transactions, the plan's trial in
// one it rolls back).
bool transactional_engine(const std::string& engine) {
  return engine == "InnoDB" || engine == "ROCKSDB" || engine == "TokuDB";
}

std::string cut(std::string text, std::size_t size) {
  if (text.size() > size) text = text.substr(0, size) + "...";
  for (auto& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return text;
}

// One transaction's undo statements, in the order they run (its rows reversed), each with the
// row event it undoes.
struct UndoStep {
  std::string sql;
  std::string where;
};

// A transaction to undo: its row changes by table, for the set-based undo (flashback_bulk.hpp)
// which large transactions try first, and their order, for the statements row by row (written
// only when they are needed).
struct TransactionUndo {
  struct Row {
    std::size_t table = 0, change = 0;
    std::uint64_t position = 0;  // of its row event
  };
  std::vector<std::pair<const TableColumns*, std::vector<RowChange>>> tables;  // binlog order within each
  std::vector<Row> rows;  // binlog order
  std::string file;
};

// Below this many rows the temporary tables cost more than the statements they save.
constexpr std::size_t kSetMinimum = 64;

class Undoer {
 public:
  Undoer(mysql::Connection& connection, const Chain& chain, const FlashbackSelection& selection,
         const ColumnsLookup& columns, const UndoOptions& options)
      : connection_(connection), chain_(chain), selection_(selection), columns_(columns), options_(options) {}

  UndoResult run(const FlashbackScan& scan) {
    auto started = std::chrono::steady_clock::now();
    // Values are written as the binlog holds them: times in UTC, zero ids kept.
    connection_.execute("SET SESSION time_zone = '+00:00', sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'");
    if (options_.trial) connection_.execute("START TRANSACTION");
    try {
      for (auto it = scan.index.rbegin(); it != scan.index.rend(); ++it) undo(*it);
    } catch (...) {
      roll_back();
      throw;
    }
    if (options_.trial && options_.keep_clean_trial && result_.conflict_count == 0) result_.left_open = true;
    else if (options_.trial) connection_.execute("ROLLBACK");
    result_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result_;
  }

 private:
  void roll_back() {
    try {
      connection_.execute("ROLLBACK");
    } catch (const Error&) {
    }
  }

  binlog::FileReader& reader(std::size_t file_index) {
    if (!reader_ || reader_file_ != file_index) {
      const ChainFile& file = chain_.files[file_index];
      reader_ = std::make_unique<binlog::FileReader>(file.path, open_source(file.path, file.open));
      reader_file_ = file_index;
    }
    return *reader_;
  }

  TransactionUndo read_transaction(const IndexedTransaction& at) {
    auto& file = reader(at.file_index);
    file.seek(at.position);
    std::unordered_map<std::uint64_t, binlog::TableMapEvent> maps;
    TransactionUndo undo;
    undo.file = chain_.files[at.file_index].name;
    while (const binlog::Event* event = file.next()) {
      if (event->position >= at.end_position) break;
      if (auto* map = event->as<binlog::TableMapEvent>()) {
        maps[map->table_id] = *map;
        continue;
      }
      auto* rows = event->as<binlog::RowsEvent>();
      if (!rows) continue;
      auto found = maps.find(rows->table_id);
      if (found == maps.end() || !selection_.contains(found->second.database, found->second.table)) continue;
      const auto& columns = columns_(found->second.database, found->second.table);
      auto table = std::find_if(undo.tables.begin(), undo.tables.end(), [&](const auto& t) { return t.first == &columns; });
      if (table == undo.tables.end()) table = undo.tables.insert(undo.tables.end(), {&columns, {}});
      const std::size_t table_index = static_cast<std::size_t>(table - undo.tables.begin());
      for (auto& change : decode_row_changes(*event, found->second, file.format(), columns)) {
        if (change.kind == binlog::RowsKind::update && change.before == change.after) continue;  // nothing to undo
        undo.rows.push_back({table_index, table->second.size(), event->position});
        table->second.push_back(std::move(change));
      }
    }
    return undo;
  }

  // The statements row by row, in the order they run (the transaction's rows reversed).
  static std::vector<UndoStep> steps_of(const TransactionUndo& undo) {
    std::vector<UndoStep> steps;
    steps.reserve(undo.rows.size());
    for (auto row = undo.rows.rbegin(); row != undo.rows.rend(); ++row) {
      const auto& [columns, changes] = undo.tables[row->table];
      std::string sql = undo_statement(changes[row->change], *columns);
      if (!sql.empty()) steps.push_back({std::move(sql), fmt::format("{}:{}", undo.file, row->position)});
    }
    return steps;
  }

  // A large transaction undone as sets, inside its own savepoint; nullopt (the savepoint rolled
  // back) when it cannot be or a row was changed since: then row by row, which names the row.
  std::optional<std::uint64_t> undo_as_sets(const TransactionUndo& undo) {
    if (undo.rows.size() < kSetMinimum) return std::nullopt;
    for (const auto& [columns, changes] : undo.tables)
      if (no_sets_.contains(columns) || !undoable_as_sets(*columns, changes)) return std::nullopt;
    connection_.execute("SAVEPOINT mysqlpitr_sets", mysql::Connection::Echo::none);
    std::uint64_t rows = 0;
    for (const auto& [columns, changes] : undo.tables) {
      auto undone = pitr::undo_as_sets(connection_, *columns, changes, options_.batch_bytes);
      if (undone.outcome != SetUndo::Outcome::undone) {
        connection_.execute("ROLLBACK TO SAVEPOINT mysqlpitr_sets", mysql::Connection::Echo::none);
        if (undone.outcome == SetUndo::Outcome::unavailable) {
          // Said once, and not tried again for that table: row by row is slower, not different.
          no_sets_.insert(columns);
          result_.notes.push_back(fmt::format("{}.{} is undone row by row (the server cannot undo it as sets: {})",
                                              columns->database, columns->table, undone.reason));
        }
        return std::nullopt;
      }
      rows += undone.rows;
    }
    return rows;
  }

  void conflict(const UndoStep& step) {
    ++result_.conflict_count;
    if (result_.conflicts.size() < 50) result_.conflicts.push_back({step.where, cut(step.sql, 300)});
  }

  // Runs the steps in batches; false at the first one that did not change exactly one row (or
  // failed on a duplicate key): the caller rolls back and goes one by one.
  bool run_batches(const std::vector<UndoStep>& steps) {
    std::string sql;
    std::size_t count = 0;
    auto flush = [&]() {
      if (count == 0) return true;
      std::vector<std::uint64_t> affected;
      try {
        connection_.execute_batch(sql, count, &affected);
      } catch (const Error& error) {
        if (error.server_code() == kDuplicateKey) return false;
        throw;
      }
      sql.clear();
      count = 0;
      return std::all_of(affected.begin(), affected.end(), [](std::uint64_t n) { return n == 1; });
    };
    for (const auto& step : steps) {
      if (count > 0 && sql.size() + step.sql.size() > options_.batch_bytes && !flush()) return false;
      sql += step.sql;
      sql += ";\n";
      ++count;
    }
    return flush();
  }

  // One by one: each step that finds its row changed is a conflict and changes nothing.
  std::uint64_t run_one_by_one(const std::vector<UndoStep>& steps) {
    std::uint64_t conflicts = 0;
    for (const auto& step : steps) {
      std::uint64_t changed = 0;
      try {
        changed = connection_.execute(step.sql, mysql::Connection::Echo::none);
      } catch (const Error& error) {
        if (error.server_code() != kDuplicateKey) throw failure("undoing the row at {}: {}", step.where, error.message());
      }
      if (changed != 1) {
        conflict(step);
        ++conflicts;
      }
    }
    return conflicts;
  }

  void undo(const IndexedTransaction& at) {
    auto undo = read_transaction(at);
    if (undo.rows.empty()) return;
    connection_.execute(options_.trial ? "SAVEPOINT mysqlpitr_flashback" : "START TRANSACTION");
    std::vector<UndoStep> steps;
    if (auto rows = undo_as_sets(undo)) {
      result_.rows += *rows;
      ++result_.transactions_as_sets;
    } else if (steps = steps_of(undo); !run_batches(steps)) {
      connection_.execute(options_.trial ? "ROLLBACK TO SAVEPOINT mysqlpitr_flashback" : "ROLLBACK");
      if (!options_.trial) connection_.execute("START TRANSACTION");
      std::uint64_t conflicts = run_one_by_one(steps);
      if (conflicts > 0 && !options_.trial && !options_.skip_conflicts) {
        roll_back();
        throw failure("flashback stopped: {} rows of the transaction at {}:{} were changed since (first: {} at {}); it "
                      "was rolled back, the {} newer transactions stay undone",
                      conflicts, chain_.files[at.file_index].name, at.position, result_.conflicts.back().statement,
                      result_.conflicts.back().where, result_.transactions);
      }
      result_.rows += steps.size() - conflicts;
    } else {
      result_.rows += steps.size();
    }
    if (!options_.trial) connection_.execute("COMMIT");
    ++result_.transactions;
  }

  mysql::Connection& connection_;
  const Chain& chain_;
  const FlashbackSelection& selection_;
  const ColumnsLookup& columns_;
  const UndoOptions& options_;
  std::unique_ptr<binlog::FileReader> reader_;
  std::size_t reader_file_ = 0;
  UndoResult result_;
  std::set<const TableColumns*> no_sets_;  // tables the server cannot undo as sets
};

}  // namespace

bool FlashbackSelection::contains(const std::string& db, const std::string& table) const {
  return db == database && (tables.empty() || std::find(tables.begin(), tables.end(), table) != tables.end());
}

FlashbackScan scan_flashback(const Chain& chain, std::uint64_t start_position, const StopPoint& stop,
                             std::time_t since, const FlashbackSelection& selection, const ColumnsLookup& columns) {
  FlashbackScan scan;
  auto refuse = [&](std::string text) {
    if (scan.refusals.size() < kListed) scan.refusals.push_back(std::move(text));
    ++scan.refusal_count;
  };
  std::vector<std::string> checked_types;  // tables whose column types were checked
  TransactionReader reader(chain, start_position, stop);
  while (auto transaction = reader.next()) {
    if (since != 0 && static_cast<std::time_t>(transaction->timestamp) < since) continue;
    const std::string& file = chain.files[transaction->file_index].name;
    std::unordered_map<std::uint64_t, const binlog::TableMapEvent*> maps;
    bool touches = false;
    for (const auto& [event, statement] : transaction->events) {
      std::string where = fmt::format("{}:{}", file, event.position);
      if (auto* query = event.as<binlog::QueryEvent>()) {
        if (statement->control != Control::none && statement->control != Control::xa) continue;
        Decision decision = selection.tables.empty() ? decide(*statement, selection.database)
                                                     : decide_tables(*statement, selection.database, selection.tables);
        if (decision.verdict == Verdict::skip) continue;
        refuse(fmt::format("{}  {} (a statement, not row events: it cannot be undone row by row{}): {}", where,
                           decision.verdict == Verdict::ambiguous ? decision.reason : "changes the selection",
                           statement->implicit_commit ? "; a DDL in the range" : "", cut(query->sql, 160)));
        continue;
      }
      if (auto* map = event.as<binlog::TableMapEvent>()) {
        maps[map->table_id] = map;
        std::string key = map->database + "." + map->table;
        if (selection.contains(map->database, map->table) &&
            std::find(checked_types.begin(), checked_types.end(), key) == checked_types.end()) {
          checked_types.push_back(key);
          if (auto problem = unsupported_column(*map); !problem.empty()) refuse(where + "  " + problem);
          const auto& table = columns(map->database, map->table);
          if (table.generated) refuse(fmt::format("{}  {} has generated columns, which cannot be written back", where, key));
          if (!transactional_engine(table.engine))
            refuse(fmt::format("{}  {} uses the {} engine, which cannot roll back: the plan's trial undo would change "
                               "it for good; convert it to InnoDB, or restore the table (restore-pitr --table)",
                               where, key, table.engine.empty() ? "unknown" : table.engine));
          if (table.system_versioned)
            refuse(fmt::format("{}  {} is system-versioned: its history would keep the undo as changes of its own; "
                               "restore the table instead (restore-pitr --table)",
                               where, key));
          if (table.triggers)
            refuse(fmt::format("{}  {} has triggers, which the undo statements would fire (changing rows or other "
                               "tables the original row events did not)",
                               where, key));
        }
        continue;
      }
      auto* rows = event.as<binlog::RowsEvent>();
      if (!rows) continue;
      auto found = maps.find(rows->table_id);
      if (found == maps.end()) {
        refuse(where + "  row event without its table map");
        continue;
      }
      const auto& map = *found->second;
      if (!selection.contains(map.database, map.table)) continue;
      touches = true;
      std::string key = map.database + "." + map.table;
      const auto& table_columns = columns(map.database, map.table);
      if (!unsupported_column(map).empty() || table_columns.generated || table_columns.triggers ||
          table_columns.system_versioned || !transactional_engine(table_columns.engine))
        continue;
      try {
        auto changes = decode_row_changes(event, map, reader.format(transaction->file_index),
                                          columns(map.database, map.table));
        auto& counts = scan.counts[key];
        for (const auto& change : changes) {
          if (change.kind == binlog::RowsKind::write) ++counts.inserts;
          else if (change.kind == binlog::RowsKind::update) ++counts.updates;
          else ++counts.deletes;
        }
        scan.rows += changes.size();
      } catch (const Error& error) {
        refuse(fmt::format("{}  {}", where, error.message()));
      }
    }
    if (!touches) {
      ++scan.other_transactions;
      continue;
    }
    if (scan.index.empty()) scan.first_time = transaction->timestamp;
    scan.last_time = transaction->timestamp;
    scan.index.push_back({transaction->file_index, transaction->position, transaction->end_position,
                          transaction->timestamp});
  }
  scan.end = reader.end();
  return scan;
}

UndoResult undo_flashback(mysql::Connection& connection, const Chain& chain, const FlashbackScan& scan,
                          const FlashbackSelection& selection, const ColumnsLookup& columns,
                          const UndoOptions& options) {
  Undoer undoer(connection, chain, selection, columns, options);
  return undoer.run(scan);
}

TableColumns read_table_columns(mysql::Connection& connection, const std::string& database, const std::string& table) {
  TableColumns out;
  out.database = database;
  out.table = table;
  for (const auto& row : connection.rows(fmt::format(
           "SELECT COLUMN_NAME, COLUMN_TYPE, EXTRA, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = {} AND "
           "TABLE_NAME = {} ORDER BY ORDINAL_POSITION",
           connection.quote(database), connection.quote(table)))) {
    out.names.push_back(row[0].value_or(""));
    std::string type = row[1].value_or("");
    out.is_unsigned.push_back(type.find("unsigned") != std::string::npos);
    std::size_t width = 0;
    if (type.starts_with("binary(")) std::sscanf(type.c_str(), "binary(%zu)", &width);
    out.binary_width.push_back(width);
    out.collated.push_back(row.size() < 4 || row[3].has_value());
    std::string extra = row[2].value_or("");
    if (extra.find("GENERATED") != std::string::npos || extra.find("VIRTUAL") != std::string::npos ||
        extra.find("PERSISTENT") != std::string::npos || extra.find("STORED") != std::string::npos)
      out.generated = true;
  }
  for (const auto& row : connection.rows(fmt::format(
           "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = {} AND TABLE_NAME = {} "
           "AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION",
           connection.quote(database), connection.quote(table)))) {
    auto at = std::find(out.names.begin(), out.names.end(), row[0].value_or(""));
    if (at != out.names.end()) out.primary_key.push_back(static_cast<std::size_t>(at - out.names.begin()));
  }
  for (const auto& row : connection.rows(fmt::format("SELECT ENGINE, TABLE_TYPE FROM information_schema.TABLES WHERE "
                                                     "TABLE_SCHEMA = {} AND TABLE_NAME = {}",
                                                     connection.quote(database), connection.quote(table)))) {
    out.engine = row[0].value_or("");
    out.system_versioned = row.size() > 1 && row[1].value_or("") == "SYSTEM VERSIONED";
  }
  out.triggers = connection
                     .scalar(fmt::format("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = "
                                         "{} AND EVENT_OBJECT_TABLE = {}",
                                         connection.quote(database), connection.quote(table)))
                     .value_or("0") != "0";
  return out;
}

}  // namespace mysqlpitr::pitr
