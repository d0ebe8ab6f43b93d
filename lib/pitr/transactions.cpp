#include "pitr/transactions.hpp"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "binlog/event_type.hpp"
#include "core/error.hpp"

namespace mysqlpitr::pitr {
namespace {

namespace type = binlog::type;

constexpr std::uint64_t kAnsiQuotes = 4;          // MODE_ANSI_QUOTES: "x" is an identifier
constexpr std::uint8_t kMariaStandalone = 1;      // FL_STANDALONE: no BEGIN ... COMMIT around it
constexpr std::uint8_t kMariaTransactional = 4;   // FL_TRANSACTIONAL: only transactional engines changed

// MariaDB writes FL_TRANSACTIONAL from 10.1 on; in an older binlog no transaction carries it, and
// its absence says nothing (those rely on the ROLLBACK warning check of the replay).
bool writes_transactional_flag(const std::string& server_version) {
  unsigned major = 0, minor = 0;
  if (std::sscanf(server_version.c_str(), "%u.%u", &major, &minor) < 2) return false;
  return major > 10 || (major == 10 && minor >= 1);
}

StatementInfo analyse_query(const binlog::QueryEvent& query) {
  if (query.status.sql_mode && (*query.status.sql_mode & kAnsiQuotes) && query.sql.find('"') != std::string::npos) {
    StatementInfo info;
    auto control = analyse_statement(query.sql, query.database);
    if (control.control != Control::none) return control;
    info.known = false;
    info.drops_database = control.drops_database;
    info.names_database = control.names_database;
    info.reason = "statement logged under sql_mode ANSI_QUOTES with double quotes";
    return info;
  }
  auto info = analyse_statement(query.sql, query.database);
  if (query.error_code != 0 && info.control == Control::none) {
    info.known = false;
    info.reason = fmt::format("logged with error code {} (it failed part-way on the original server)", query.error_code);
  }
  return info;
}

}  // namespace

TransactionReader::TransactionReader(const Chain& chain, std::uint64_t start_position, const StopPoint& stop)
    : chain_(chain), stop_(stop), start_position_(start_position) {
  formats_raw_.resize(chain.files.size());
  formats_.resize(chain.files.size());
}

TransactionReader::~TransactionReader() = default;

const std::vector<std::uint8_t>& TransactionReader::format_event(std::size_t index) { return formats_raw_.at(index); }
const binlog::FormatDescription& TransactionReader::format(std::size_t index) { return formats_.at(index); }

bool TransactionReader::is_meta(const binlog::Event& event) const {
  switch (event.header.type_code) {
    case type::format_description:
    case type::start_v3:
    case type::rotate:
    case type::stop:
    case type::previous_gtids:
    case type::gtid_list:
    case type::binlog_checkpoint:
    case type::heartbeat:
    case type::heartbeat_v2:
    case type::start_encryption:
    case type::transaction_payload:
    case type::ignorable:
    case type::transaction_context:
    case type::view_change:
      return true;
    default:
      return false;
  }
}

bool TransactionReader::open_next_file() {
  if (file_index_ >= chain_.files.size()) return false;
  const ChainFile& file = chain_.files[file_index_];
  reader_ = std::make_unique<binlog::FileReader>(file.path, open_source(file.path, file.open));
  const binlog::Event* first = reader_->next();
  if (!first || first->header.type_code != type::format_description)
    throw failure("{}: does not start with a format description event", file.path);
  formats_raw_[file_index_] = first->raw;
  formats_[file_index_] = reader_->format();
  if (file_index_ == 0) time_before_start_ = first->header.timestamp;
  if (file_index_ == 0 && start_position_ > first->end_position) {
    // Read up to the start: the base's coordinates must be an event boundary, and the time of
    // the events before it tells whether a stop time lies before the base.
    for (;;) {
      const binlog::Event* event = reader_->next();
      if (!event) throw precondition_error("{}: start position {} is past the end of the file", file.path, start_position_);
      if (event->payload_index != 0) continue;
      // Every event before the base's coordinates was logged no later than the base was taken,
      // the file's format description included (a base taken right after a rotation has nothing
      // else before it).
      time_before_start_ = std::max(time_before_start_, event->header.timestamp);
      if (event->end_position == start_position_) break;
      if (event->end_position > start_position_)
        throw precondition_error("{}: start position {} is not an event boundary (an event spans {}-{})", file.path,
                                 start_position_, event->position, event->end_position);
    }
  }
  return true;
}

bool TransactionReader::stops_at(const binlog::Event& event) const {
  switch (stop_.kind) {
    case StopKind::datetime: return !is_meta(event) && event.header.timestamp >= stop_.time;
    case StopKind::position:
      return chain_.files[file_index_].name == stop_.file && event.position >= stop_.position;
    case StopKind::gtid:
      if (auto* maria = event.as<binlog::MariaGtidEvent>()) return maria->gtid(event.header.server_id) == stop_.gtid;
      if (auto* gtid = event.as<binlog::MysqlGtidEvent>()) return !gtid->anonymous && gtid->gtid == stop_.gtid;
      return false;
    default: return false;
  }
}

std::optional<Transaction> TransactionReader::next() {
  std::optional<Transaction> current;
  bool open = false;  // inside BEGIN ... COMMIT
  auto finish = [&]() { return std::move(current); };
  auto start = [&](const binlog::Event& event) {
    current.emplace();
    current->file_index = file_index_;
    current->position = event.position;
    current->timestamp = event.header.timestamp;
  };
  auto add = [&](const binlog::Event& event, std::optional<StatementInfo> info = std::nullopt) {
    current->events.push_back({event, std::move(info)});
    current->end_position = event.end_position;
  };
  while (!finished_) {
    if (!reader_ && !open_next_file()) {
      finished_ = true;
      end_.file_index = chain_.files.empty() ? 0 : chain_.files.size() - 1;
      end_.position = chain_.files.empty() ? 0 : chain_.files.back().size;
      bool chain_end_is_stop = stop_.kind == StopKind::end_of_binlogs || stop_.kind == StopKind::until_binlog ||
                               (stop_.kind == StopKind::position && end_.position <= stop_.position);
      end_.stop_reached = chain_end_is_stop;
      end_.reason = chain_end_is_stop ? "end of the binlogs reached" : "end of the binlogs reached before the stop point";
      if (current) end_.cut_transaction = current->position;
      return std::nullopt;
    }
    const ChainFile& file = chain_.files[file_index_];
    const binlog::Event* event = with_context(file.path, [&] { return reader_->next(); });
    if (!event || (event->payload_index == 0 && event->position >= file.size)) {
      if (current) {
        // A transaction never spans files; one cut at the end of the planned size is not
        // committed yet (the active binlog is still being written).
        end_.cut_transaction = current->position;
        current.reset();
        open = false;
      }
      reader_.reset();
      ++file_index_;
      continue;
    }
    if (event->payload_index == 0 && stops_at(*event)) {
      finished_ = true;
      end_ = {true, file_index_, event->position, "stop point reached", std::nullopt};
      if (current) end_.cut_transaction = current->position;
      return std::nullopt;
    }
    if (is_meta(*event)) continue;
    if (event->header.type_code == type::incident)
      throw failure("{}: Incident event at {}: the server recorded that events are missing here", file.path,
                    event->position);
    last_time_ = event->header.timestamp;
    if (auto* maria = event->as<binlog::MariaGtidEvent>()) {
      start(*event);
      current->gtid = maria->gtid(event->header.server_id);
      open = (maria->flags & kMariaStandalone) == 0;
      current->explicit_begin = open;
      current->flagged_non_transactional = writes_transactional_flag(formats_[file_index_].server_version) &&
                                           (maria->flags & kMariaTransactional) == 0;
      add(*event);
      continue;
    }
    if (auto* gtid = event->as<binlog::MysqlGtidEvent>()) {
      start(*event);
      current->gtid = gtid->gtid;
      add(*event);
      continue;
    }
    if (!current) start(*event);
    if (auto* query = event->as<binlog::QueryEvent>()) {
      auto info = analyse_query(*query);
      Control control = info.control;
      add(*event, std::move(info));
      if (control == Control::begin) {
        open = true;
        current->explicit_begin = true;
        continue;
      }
      if (control == Control::commit || control == Control::rollback) {
        current->ended_by_rollback = control == Control::rollback;
        return finish();
      }
      if (!open) return finish();  // a statement on its own (DDL, autocommit without BEGIN)
      continue;
    }
    add(*event);
    if (event->as<binlog::XidEvent>()) {
      current->ended_by_xid = true;
      return finish();
    }
    if (event->header.type_code == type::xa_prepare) return finish();
  }
  return std::nullopt;
}

FilteredTransaction filter_transaction(const Transaction& transaction, const std::string& database,
                                       bool include_ambiguous, const std::string& file_name,
                                       const std::vector<std::string>& tables, const HiddenWriters* hidden) {
  FilteredTransaction out;
  out.include.assign(transaction.events.size(), false);
  std::unordered_map<std::uint64_t, bool> maps;
  std::vector<std::size_t> pending;  // Intvar / Rand / User_var events before their statement
  bool ddl = false;
  auto ambiguous = [&](const binlog::Event& event, std::string sql, std::string reason, bool refuse = false) {
    if (sql.size() > 200) sql = sql.substr(0, 200) + "...";
    out.ambiguous.push_back({file_name, event.position, std::move(sql), std::move(reason), refuse});
  };
  for (std::size_t i = 0; i < transaction.events.size(); ++i) {
    const auto& [event, statement] = transaction.events[i];
    if (auto* query = event.as<binlog::QueryEvent>()) {
      const StatementInfo& info = *statement;
      if (info.control == Control::begin || info.control == Control::commit || info.control == Control::rollback)
        continue;
      if (info.control == Control::savepoint) {
        out.include[i] = true;  // kept only if the transaction is
        continue;
      }
      Decision decision = tables.empty() ? decide(info, database) : decide_tables(info, database, tables, hidden);
      bool take = decision.verdict == Verdict::apply;
      if (decision.verdict == Verdict::ambiguous) {
        ambiguous(event, query->sql, decision.reason, decision.refuse);
        take = include_ambiguous && !decision.refuse;
      }
      if (take) {
        out.include[i] = true;
        for (auto p : pending) out.include[p] = true;
        out.touches = true;
        ++out.statements;
        if (info.implicit_commit || info.temporary) ddl = true;
      }
      pending.clear();
      continue;
    }
    switch (event.header.type_code) {
      case type::intvar:
      case type::rand:
      case type::user_var: pending.push_back(i); break;
      case type::xa_prepare: ambiguous(event, "XA PREPARE", "XA transaction (prepared, committed later)"); break;
      default: break;
    }
    if (auto* map = event.as<binlog::TableMapEvent>()) {
      bool mine = map->database == database &&
                  (tables.empty() || std::find(tables.begin(), tables.end(), map->table) != tables.end());
      maps[map->table_id] = mine;
      out.include[i] = mine;
    } else if (auto* rows = event.as<binlog::RowsEvent>()) {
      auto found = maps.find(rows->table_id);
      if (found == maps.end()) {
        ambiguous(event, event.type_name(), "row event without its table map");
        continue;
      }
      if (found->second) {
        out.include[i] = true;
        out.touches = true;
        ++out.row_events;
      }
    }
  }
  if (!out.touches) std::fill(out.include.begin(), out.include.end(), false);
  // Such a transaction runs alone: in a group, a failure after it would roll back only part of it,
  // and replaying the group one transaction at a time would repeat its non-transactional changes.
  bool non_transactional =
      (transaction.explicit_begin && !transaction.ended_by_xid) || transaction.flagged_non_transactional;
  out.isolated = out.touches && (ddl || non_transactional || transaction.ended_by_rollback);
  return out;
}

}  // namespace mysqlpitr::pitr
