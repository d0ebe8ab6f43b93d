#include "binlog/sequence.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "binlog/name.hpp"
#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/files.hpp"

namespace mysqlpitr::binlog {

namespace {

using nlohmann::json;
constexpr int kCacheVersion = 1;
constexpr std::size_t kMaxScanThreads = 4;

json summary_to_json(const FileSummary& s) {
  json out = {{"size", s.size}, {"server_id", s.server_id}, {"server_version", s.server_version},
              {"event_count", s.event_count}, {"in_use", s.in_use}, {"encrypted", s.encrypted},
              {"encrypted_at_rest", s.encrypted_at_rest},
              {"ends_with_stop", s.ends_with_stop}, {"error", s.error}};
  if (s.first_event_time) out["first"] = *s.first_event_time;
  if (s.last_event_time) out["last"] = *s.last_event_time;
  if (s.rotate_to) out["rotate_to"] = *s.rotate_to;
  if (s.previous_gtids) out["previous_gtids"] = *s.previous_gtids;
  for (const auto& g : s.gtid_list) out["gtid_list"].push_back({g.domain_id, g.server_id, g.sequence});
  for (const auto& [domain, g] : s.last_gtids) out["last_gtids"].push_back({g.domain_id, g.server_id, g.sequence});
  return out;
}

FileSummary summary_from_json(const json& in, const std::string& path) {
  FileSummary s;
  s.path = path;
  s.size = in.at("size").get<std::uint64_t>();
  s.server_id = in.at("server_id").get<std::uint32_t>();
  s.server_version = in.at("server_version").get<std::string>();
  s.event_count = in.at("event_count").get<std::uint64_t>();
  s.in_use = in.at("in_use").get<bool>();
  s.encrypted = in.at("encrypted").get<bool>();
  s.encrypted_at_rest = in.value("encrypted_at_rest", false);
  s.ends_with_stop = in.at("ends_with_stop").get<bool>();
  s.error = in.at("error").get<std::string>();
  if (in.contains("first")) s.first_event_time = in["first"].get<std::uint32_t>();
  if (in.contains("last")) s.last_event_time = in["last"].get<std::uint32_t>();
  if (in.contains("rotate_to")) s.rotate_to = in["rotate_to"].get<std::string>();
  if (in.contains("previous_gtids")) s.previous_gtids = in["previous_gtids"].get<std::string>();
  auto gtid = [](const json& g) { return MariaGtid{g.at(0).get<std::uint32_t>(), g.at(1).get<std::uint32_t>(), g.at(2).get<std::uint64_t>()}; };
  if (in.contains("gtid_list")) for (const auto& g : in["gtid_list"]) s.gtid_list.push_back(gtid(g));
  if (in.contains("last_gtids")) for (const auto& g : in["last_gtids"]) { auto v = gtid(g); s.last_gtids[v.domain_id] = v; }
  return s;
}

json read_cache(const std::string& path, std::vector<std::string>& warnings) {
  if (!io::stat_entry(path)) return json::object();
  try {
    json cache = json::parse(io::read_file(path));
    if (cache.value("version", 0) == kCacheVersion && cache.contains("files")) return cache["files"];
  } catch (const std::exception& error) {
    warnings.push_back("ignoring unreadable cache " + path + ": " + error.what());
  }
  return json::object();
}

std::string gtid_text(const MariaGtid& g) {
  return std::to_string(g.domain_id) + "-" + std::to_string(g.server_id) + "-" + std::to_string(g.sequence);
}

// Each domain's latest GTID in a Gtid_list event: MariaDB lists a domain's other server ids first
// and its latest GTID last (rpl_binlog_state::get_gtid_list).
std::map<std::uint32_t, MariaGtid> latest_per_domain(const std::vector<MariaGtid>& list) {
  std::map<std::uint32_t, MariaGtid> latest;
  for (const auto& gtid : list) latest[gtid.domain_id] = gtid;
  return latest;
}

// MariaDB: the Gtid_list opening a file is the binlog state at rotation, so in every domain it
// must hold the last GTID the previous file wrote (or, in a domain the previous file did not
// write, the one its own Gtid_list held), and no domain the previous file never reached.
std::optional<std::string> gtid_break(const BinlogFile& previous, const BinlogFile& current) {
  const FileSummary& before = previous.summary;
  const FileSummary& after = current.summary;
  if (before.encrypted || after.encrypted) return std::nullopt;  // their GTIDs cannot be read
  std::map<std::uint32_t, MariaGtid> expected = latest_per_domain(before.gtid_list);
  for (const auto& [domain, last] : before.last_gtids) expected[domain] = last;
  std::map<std::uint32_t, MariaGtid> found = latest_per_domain(after.gtid_list);
  for (const auto& [domain, last] : expected) {
    auto next = found.find(domain);
    if (next == found.end() || next->second.sequence != last.sequence || next->second.server_id != last.server_id)
      return previous.name + " ends at GTID " + gtid_text(last) + " but " + current.name + " starts from " +
             (next == found.end() ? "no GTID in domain " + std::to_string(domain) : gtid_text(next->second));
  }
  for (const auto& [domain, first] : found) {
    if (!expected.count(domain))
      return current.name + " starts from GTID " + gtid_text(first) + " but " + previous.name +
             " holds no GTID of domain " + std::to_string(domain);
  }
  return std::nullopt;
}

// A closed binlog ends with its Rotate event (or Stop, at a shutdown); one that ends without either
// was cut short, or is the file the server was writing when it died. The latter is no gap when the
// next file's GTID state proves nothing was lost (MariaDB recovers it from the crashed file).
std::optional<std::string> unclosed_reason(const BinlogFile& previous, const BinlogFile& current,
                                           const std::optional<std::string>& gtid_gap) {
  const FileSummary& before = previous.summary;
  if (before.rotate_to || before.ends_with_stop || before.encrypted) return std::nullopt;
  if (!before.error.empty()) return previous.name + " cannot be read to its end: " + before.error;
  if (before.in_use && !gtid_gap && !current.summary.gtid_list.empty()) return std::nullopt;
  std::string reason = previous.name + " ends at byte " + std::to_string(before.size) +
                       " without its closing Rotate event";
  if (before.in_use)
    reason += " and is still marked in use (the server stopped without closing it): whether events after byte " +
              std::to_string(before.size) + " were lost cannot be told";
  else
    reason += ": it was cut short, and whatever followed byte " + std::to_string(before.size) + " is missing";
  if (gtid_gap) reason += " (" + *gtid_gap + ")";
  return reason;
}

// Scans the files at `indexes` on up to one thread per core: the files are independent, and a
// cold listing of a large archive is bound by reading their headers. A file that cannot be opened
// fails the listing as a sequential scan would: the first such file in `indexes` order.
void scan_in_parallel(std::vector<BinlogFile>& files, const std::vector<std::size_t>& indexes, crypto::KeyRing* keys) {
  std::vector<std::exception_ptr> failures(indexes.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < indexes.size(); i = next++) {
      try {
        files[indexes[i]].summary = scan_file(files[indexes[i]].path, keys);
      } catch (...) {
        failures[i] = std::current_exception();
      }
    }
  };
  std::size_t threads = std::min<std::size_t>(
      {std::max(1u, std::thread::hardware_concurrency()), kMaxScanThreads, indexes.size()});
  {
    std::vector<std::jthread> helpers;
    for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
    work();
  }
  for (const auto& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

}  // namespace

std::vector<Gap> find_gaps(const std::vector<BinlogFile>& files) {
  std::vector<Gap> gaps;
  for (std::size_t i = 1; i < files.size(); ++i) {
    const BinlogFile& previous = files[i - 1];
    const BinlogFile& current = files[i];
    if (current.number != previous.number + 1) {
      std::string missing = current.number == previous.number + 2
                                ? "file number " + std::to_string(previous.number + 1) + " is missing"
                                : "file numbers " + std::to_string(previous.number + 1) + " to " +
                                      std::to_string(current.number - 1) + " are missing";
      gaps.push_back({previous.name, current.name, missing});
      continue;
    }
    const FileSummary& before = previous.summary;
    if (before.rotate_to && *before.rotate_to != current.name) {
      gaps.push_back({previous.name, current.name,
                      previous.name + " rotates to " + *before.rotate_to + ", not " + current.name});
      continue;
    }
    std::optional<std::string> gtid = gtid_break(previous, current);
    if (auto unclosed = unclosed_reason(previous, current, gtid)) {
      gaps.push_back({previous.name, current.name, *unclosed});
      continue;
    }
    if (gtid) gaps.push_back({previous.name, current.name, *gtid});
  }
  return gaps;
}

Inventory list_binlogs(const std::string& folder, const ListOptions& options) {
  Inventory inventory;
  inventory.source = folder;
  std::vector<io::DirEntry> entries = io::list_directory(folder);
  std::map<std::string, int> basenames;
  for (const auto& entry : entries) {
    if (entry.type != io::EntryType::regular) continue;
    if (auto parsed = parse_binlog_name(entry.name)) ++basenames[parsed->prefix];
  }
  inventory.basename = options.basename;
  if (inventory.basename.empty()) {
    int best = 0;
    for (const auto& [name, count] : basenames) {
      if (count > best) best = count, inventory.basename = name;
    }
  }
  std::string cache_path = io::join_path(folder, kCacheFileName);
  json cache = options.use_cache ? read_cache(cache_path, inventory.warnings) : json::object();
  json fresh = json::object();
  std::vector<std::size_t> to_scan;  // indexes in inventory.files of the files the cache cannot answer
  std::vector<std::uint64_t> listed_sizes;  // the cache key: size when listed, as the hit test saw it
  for (const auto& entry : entries) {
    auto parsed = parse_binlog_name(entry.name);
    if (!parsed || parsed->prefix != inventory.basename || entry.type != io::EntryType::regular) continue;
    BinlogFile file{entry.name, entry.path, parsed->sequence, entry.mtime, {}};
    const json* cached = cache.contains(entry.name) ? &cache[entry.name] : nullptr;
    bool hit = cached && cached->value("size", std::uint64_t(0)) == entry.size &&
               cached->value("mtime", std::int64_t(0)) == static_cast<std::int64_t>(entry.mtime);
    if (hit) {
      try {
        file.summary = summary_from_json(cached->at("summary"), entry.path);
      } catch (const std::exception&) {
        hit = false;
      }
    }
    if (!hit) to_scan.push_back(inventory.files.size());
    inventory.files.push_back(std::move(file));
    listed_sizes.push_back(entry.size);
  }
  scan_in_parallel(inventory.files, to_scan, options.keys);
  for (std::size_t i = 0; i < inventory.files.size(); ++i) {
    const BinlogFile& file = inventory.files[i];
    // A file still being written (in use, or cut short) is not cached: it will change.
    if (!file.summary.in_use && file.summary.error.empty()) {
      fresh[file.name] = {{"size", listed_sizes[i]}, {"mtime", static_cast<std::int64_t>(file.mtime)},
                          {"summary", summary_to_json(file.summary)}};
    }
    if (!file.summary.error.empty()) inventory.warnings.push_back(file.summary.error);
  }
  bool changed = !to_scan.empty();
  std::sort(inventory.files.begin(), inventory.files.end(),
            [](const BinlogFile& a, const BinlogFile& b) { return a.number < b.number; });
  inventory.gaps = find_gaps(inventory.files);
  if (options.use_cache && (changed || fresh.size() != cache.size())) {
    if (io::directory_writable(folder)) {
      try {
        io::AtomicFile out(cache_path, 0644);
        out.write(json{{"version", kCacheVersion}, {"files", fresh}}.dump());
        out.commit();
      } catch (const Error& error) {
        inventory.warnings.push_back("could not write the binlog cache: " + std::string(error.what()));
      }
    }
  }
  return inventory;
}

}  // namespace mysqlpitr::binlog
