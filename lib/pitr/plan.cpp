#include "pitr/plan.hpp"

#include <algorithm>

#include <fmt/ranges.h>

#include "binlog/name.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace mysqlpitr::pitr {
namespace {

// Whether `file`:`position` comes before `other_file`:`other_position` in the same binlog sequence.
bool before(const std::string& file, std::uint64_t position, const std::string& other_file, std::uint64_t other_position) {
  auto a = binlog::parse_binlog_name(file);
  auto b = binlog::parse_binlog_name(other_file);
  return a && b && a->prefix == b->prefix &&
         (a->sequence < b->sequence || (a->sequence == b->sequence && position < other_position));
}

void check_stop_against_start(const PlanInput& input) {
  if (input.stop.kind != StopKind::position) return;
  if (before(input.stop.file, input.stop.position, input.base_file, input.base_position))
    throw precondition_error("stop point {} is before the base's coordinates {}:{}", input.stop.describe(),
                             input.base_file, input.base_position);
  if (before(input.stop.file, input.stop.position, input.start_file, input.start_position))
    throw precondition_error("stop point {} is before {}:{}, where the interrupted replay resumes (it has applied "
                             "everything before that)",
                             input.stop.describe(), input.start_file, input.start_position);
}

}  // namespace

Plan make_plan(const PlanInput& input) {
  Plan plan;
  plan.input = input;
  check_stop_against_start(input);
  std::string last_file =
      input.stop.kind == StopKind::position || input.stop.kind == StopKind::until_binlog ? input.stop.file : "";
  plan.chain = build_chain(input.archive, input.datadir, input.start_file, last_file);
  plan.notes = plan.chain.notes;
  if (input.stop.kind == StopKind::position && plan.chain.files.back().size < input.stop.position)
    throw precondition_error("stop position {} is past the end of {} ({} bytes)", input.stop.describe(),
                             plan.chain.files.back().path, plan.chain.files.back().size);

  for (const auto& file : plan.chain.files)
    plan.ranges.push_back({file, file.name == input.start_file ? input.start_position : 4, file.size, 0, 0});

  std::vector<std::uint64_t> bytes_before{0};  // bytes to read in the ranges before each one
  for (const auto& range : plan.ranges) bytes_before.push_back(bytes_before.back() + (range.to - range.from));
  TransactionReader reader(plan.chain, input.start_position, input.stop);
  while (auto transaction = reader.next()) {
    if (input.progress) {
      const auto& at = plan.ranges[transaction->file_index];
      std::uint64_t in_file = std::min(transaction->end_position, at.to) - std::min(at.from, transaction->end_position);
      input.progress(bytes_before[transaction->file_index] + in_file, bytes_before.back());
    }
    const auto& name = plan.chain.files[transaction->file_index].name;
    auto filtered = filter_transaction(*transaction, input.database, input.include_ambiguous, name, input.tables, &input.hidden);
    for (auto& statement : filtered.ambiguous) plan.ambiguous.push_back(std::move(statement));
    auto& range = plan.ranges[transaction->file_index];
    if (filtered.touches) {
      ++plan.touching;
      ++range.touching;
      plan.statements += filtered.statements;
      plan.row_events += filtered.row_events;
      if (filtered.isolated) ++plan.isolated;
    } else {
      ++plan.other;
      ++range.other;
    }
  }
  plan.end = reader.end();
  for (auto& note : check_read_continuity(plan.chain, plan.end, input.stop.kind,
                                          {input.server_binlog, input.datadir_folder}))
    plan.notes.push_back(std::move(note));
  // mysqlbinlog quietly stops at the next event after a position inside one; a restore refuses,
  // since the operator meant some event and would get another. 4 is the first event of a file
  // (its format description), which the reader does not stop on.
  if (input.stop.kind == StopKind::position && plan.end.position != input.stop.position && input.stop.position != 4)
    throw usage_error("--stop-position {} is not an event boundary: it falls inside an event (the next one starts at "
                      "{}); give a position mariadb-binlog prints as '# at N'",
                      input.stop.describe(), plan.end.position);
  plan.time_before_start = reader.time_before_start();
  plan.last_event_time = reader.last_event_time();
  // The chain may hold files past the stop point's: they are not read.
  plan.ranges.resize(plan.end.file_index + 1);
  plan.ranges.back().to = plan.end.position;

  const StopPoint& stop = input.stop;
  if (stop.kind == StopKind::datetime) {
    if (plan.time_before_start != 0 && stop.time < static_cast<std::time_t>(plan.time_before_start) &&
        input.start_file == input.base_file) {
      // Refused even then: which stamp is genuine cannot be told, and a stop time taken for
      // after the base when it is not would silently give the base's state.
      if (input.now != 0 && static_cast<std::time_t>(plan.time_before_start) > input.now)
        throw precondition_error("stop time {} may be before the base: an event before its coordinates {}:{} is "
                                 "stamped {} UTC, later than the server's clock (a session's SET TIMESTAMP?); give "
                                 "the stop point with --stop-position or --stop-gtid instead",
                                 stop.describe(), input.base_file, input.base_position,
                                 core::format_datetime_utc(plan.time_before_start));
      throw precondition_error("stop time {} is before the base (its coordinates {}:{} follow an event logged at {} UTC)",
                               stop.describe(), input.base_file, input.base_position,
                               core::format_datetime_utc(plan.time_before_start));
    }
    if (!plan.end.stop_reached) {
      if (stop.time > input.now)
        throw precondition_error("stop time {} is in the future: the binlogs end at {} UTC", stop.describe(),
                                 core::format_datetime_utc(plan.last_event_time));
      // Every event logged before now is in the chain, which ends with the active binlog.
      plan.end.stop_reached = true;
      plan.end.reason = "no event at or after the stop time: every event before it is replayed";
    }
  }
  if (stop.kind == StopKind::gtid && !plan.end.stop_reached)
    throw precondition_error("GTID {} was not found in the binlogs from {}:{} on", stop.gtid, input.start_file,
                             input.start_position);
  if (plan.end.cut_transaction)
    plan.notes.push_back(fmt::format("the transaction starting at {}:{} is cut by the stop point and is not applied",
                                     plan.chain.files[plan.end.file_index].name, *plan.end.cut_transaction));
  return plan;
}

std::string plan_text(const Plan& plan) {
  const auto& in = plan.input;
  std::string text = "restore-pitr plan\n";
  std::string what = in.database;
  if (!in.tables.empty()) what = fmt::format("{} tables of {}: {}", in.tables.size(), in.database, fmt::join(in.tables, ", "));
  text += fmt::format("  database:   {}{}\n", what,
                      in.target != in.database ? fmt::format(" restored into {} (the originals are not touched)", in.target)
                                               : "");
  text += fmt::format("  base:       {} (coordinates {}:{})\n", in.base_path, in.base_file, in.base_position);
  if (!in.tables.empty())
    text += fmt::format("  REPLACES:   {} in {}, each at once (RENAME TABLE) once loaded from the base and replayed in the "
                        "scratch database {} (dropped and created first, dropped at the end); the other tables of {} are "
                        "not touched\n",
                        fmt::join(in.tables, ", "), in.target, in.scratch, in.database);
  if (!in.tables.empty())
    text += fmt::format("  note:       the binlog records the swap as RENAME TABLE from {}: a later restore-pitr of the "
                        "whole of {} replaying across it refuses it as ambiguous; take a new base afterwards "
                        "(backup --kind pitr-base)\n",
                        in.scratch, in.target);
  else if (in.start_file != in.base_file || in.start_position != in.base_position)
    text += fmt::format("  resume at:  {}:{} (the base is not reloaded)\n", in.start_file, in.start_position);
  else
    text += fmt::format("  DROPS:      database {} and reloads it from the base\n", in.target);
  text += fmt::format("  stop:       {} (the event at the stop point is not applied)\n", in.stop.describe());
  text += fmt::format("  binlogs:    archive {}, datadir {}\n", in.archive_folder.empty() ? "(none)" : in.archive_folder,
                      in.datadir_folder.empty() ? "(not readable)" : in.datadir_folder);
  for (const auto& range : plan.ranges)
    text += fmt::format("    {}  {:>10} .. {:<10}  from {:<7}  {} transactions of {}, {} of others\n", range.file.name,
                        range.from, range.to, range.file.source, range.touching, in.database, range.other);
  text += fmt::format("  replay:     {} transactions of {} ({} statements, {} row events, {} run on their own), "
                      "{} of other databases skipped\n",
                      plan.touching, in.tables.empty() ? in.database : "the tables", plan.statements, plan.row_events, plan.isolated, plan.other);
  text += fmt::format("  ends at:    {}:{} ({})\n", plan.chain.files[plan.end.file_index].name, plan.end.position,
                      plan.end.reason);
  for (const auto& note : plan.notes) text += "  note:       " + note + "\n";
  if (!plan.ambiguous.empty()) {
    text += fmt::format("  AMBIGUOUS:  {} statements cannot be attributed to {} with certainty{}:\n",
                        plan.ambiguous.size(), in.database,
                        in.include_ambiguous ? " (applied: --include-ambiguous)" : " (refused without --include-ambiguous)");
    for (const auto& a : plan.ambiguous)
      text += fmt::format("    {}:{}  {}{}: {}\n", a.file, a.position, a.reason,
                          a.refuse ? " (refused even with --include-ambiguous)" : "", a.sql);
  }
  return text;
}

nlohmann::json plan_json(const Plan& plan) {
  const auto& in = plan.input;
  nlohmann::json binlogs = nlohmann::json::array();
  for (const auto& range : plan.ranges)
    binlogs.push_back({{"name", range.file.name}, {"path", range.file.path}, {"source", range.file.source},
                       {"size", range.file.size}, {"from", range.from}, {"to", range.to},
                       {"transactions", range.touching}, {"other_transactions", range.other}});
  nlohmann::json ambiguous = nlohmann::json::array();
  for (const auto& a : plan.ambiguous)
    ambiguous.push_back({{"file", a.file}, {"position", a.position}, {"reason", a.reason}, {"sql", a.sql}});
  nlohmann::json stop = {{"kind", static_cast<int>(in.stop.kind)}, {"text", in.stop.text}, {"description", in.stop.describe()}};
  if (in.stop.kind == StopKind::datetime) {
    stop["utc"] = core::format_datetime_utc(in.stop.time);
    stop["server_time"] = core::format_datetime_utc(in.stop.time + in.stop.server_offset_seconds);
  }
  static const char* kinds[] = {"end_of_binlogs", "datetime", "position", "gtid", "until_binlog"};
  stop["kind"] = kinds[static_cast<int>(in.stop.kind)];
  return {{"database", in.database},
          {"target", in.target},
          {"tables", in.tables},
          {"scratch", in.scratch},
          {"base", {{"path", in.base_path}, {"file", in.base_file}, {"position", in.base_position}}},
          {"start", {{"file", in.start_file}, {"position", in.start_position}}},
          {"stop", stop},
          {"binlogs", binlogs},
          {"transactions", plan.touching},
          {"other_transactions", plan.other},
          {"statements", plan.statements},
          {"row_events", plan.row_events},
          {"ambiguous", ambiguous},
          {"end", {{"file", plan.chain.files[plan.end.file_index].name}, {"position", plan.end.position},
                   {"reason", plan.end.reason}}},
          {"notes", plan.notes}};
}

}  // namespace mysqlpitr::pitr
