#pragma once
// Reads the chain from the base's coordinates to the stop point as whole transactions (GTID /
// BEGIN ... XID / COMMIT, or one standalone statement), and decides for each event whether it
// belongs to the database being restored. Used twice: by the plan (counting, listing ambiguous
// statements) and by the replay.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "binlog/event.hpp"
#include "binlog/reader.hpp"
#include "pitr/chain.hpp"
#include "pitr/statement_filter.hpp"
#include "pitr/stop_point.hpp"

namespace mysqlpitr::pitr {

struct TxnEvent {
  binlog::Event event;
  std::optional<StatementInfo> statement;  // Query events
};

struct Transaction {
  std::size_t file_index = 0;  // into the chain
  std::uint64_t position = 0;  // where its first event starts
  std::uint64_t end_position = 0;  // just past its last event: the next transaction's start
  std::uint32_t timestamp = 0;
  std::string gtid;
  bool explicit_begin = false;   // BEGIN or a MariaDB transactional GTID opened it
  bool ended_by_xid = false;     // committed by an Xid event (transactional engines only)
  bool ended_by_rollback = false;
  // MariaDB's GTID event lacks FL_TRANSACTIONAL: the transaction changed a non-transactional table
  // (MyISAM, Aria...) even though it may end with an Xid, so a ROLLBACK cannot undo all of it.
  bool flagged_non_transactional = false;
  std::vector<TxnEvent> events;
};

// Where reading ended and why.
struct ReadEnd {
  bool stop_reached = false;       // the stop point was met (or the chain's end is the stop point)
  std::size_t file_index = 0;
  std::uint64_t position = 0;      // position of the first event not applied
  std::string reason;
  std::optional<std::uint64_t> cut_transaction;  // start of a transaction cut by the stop point
};

class TransactionReader {
 public:
  // `start_position` in the chain's first file (an event boundary: the base's coordinates or a
  // resume point). `chain_end_is_stop`: reaching the end of the chain's last file (at the size it
  // had when planned) is the stop point.
  TransactionReader(const Chain& chain, std::uint64_t start_position, const StopPoint& stop);
  ~TransactionReader();

  // The next whole transaction, or nullopt when the stop point or the chain's end is reached.
  std::optional<Transaction> next();
  const ReadEnd& end() const { return end_; }
  // Raw bytes of the format description of the chain's file `index` (for BINLOG statements).
  const std::vector<std::uint8_t>& format_event(std::size_t index);
  const binlog::FormatDescription& format(std::size_t index);
  // Latest time of the events before the start position in the first file, its format
  // description included (0 when none).
  std::uint32_t time_before_start() const { return time_before_start_; }
  std::uint32_t last_event_time() const { return last_time_; }

 private:
  bool open_next_file();
  bool stops_at(const binlog::Event& event) const;
  bool is_meta(const binlog::Event& event) const;

  const Chain& chain_;
  StopPoint stop_;
  std::uint64_t start_position_;
  std::size_t file_index_ = 0;
  std::unique_ptr<binlog::FileReader> reader_;
  std::vector<std::vector<std::uint8_t>> formats_raw_;
  std::vector<binlog::FormatDescription> formats_;
  ReadEnd end_;
  bool finished_ = false;
  std::uint32_t time_before_start_ = 0;
  std::uint32_t last_time_ = 0;
};

// What one transaction means for the database being restored.
struct AmbiguousStatement {
  std::string file;
  std::uint64_t position = 0;
  std::string sql;  // the first 200 bytes
  std::string reason;
  bool refuse = false;  // not applied even with --include-ambiguous
};

struct FilteredTransaction {
  std::vector<bool> include;  // per event
  bool touches = false;       // at least one data event of the database
  bool isolated = false;      // must run on its own (DDL, temporary tables, non-transactional)
  std::vector<AmbiguousStatement> ambiguous;
  std::size_t row_events = 0, statements = 0;
};

// `tables` empty: the whole database; else only those tables of it (table-level PITR): row
// events by their table map, statements by the tables they write (decide_tables()).
FilteredTransaction filter_transaction(const Transaction& transaction, const std::string& database,
                                       bool include_ambiguous, const std::string& file_name,
                                       const std::vector<std::string>& tables = {},
                                       const HiddenWriters* hidden = nullptr);

}  // namespace mysqlpitr::pitr
