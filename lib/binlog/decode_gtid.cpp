#include <cstdio>
#include <string>

#include "binlog/bytes.hpp"
#include "binlog/decode.hpp"

namespace mysqlpitr::binlog {

namespace {

std::string uuid_text(const std::uint8_t* bytes) {
  char text[37];
  int at = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text[at++] = '-';
    std::snprintf(text + at, 3, "%02x", bytes[i]);
    at += 2;
  }
  return std::string(text, 36);
}

std::string hex_text(const std::string& bytes) {
  std::string text;
  char pair[3];
  for (unsigned char byte : bytes) {
    std::snprintf(pair, sizeof pair, "%02x", byte);
    text += pair;
  }
  return text;
}

MysqlGtidEvent decode_mysql_gtid(const DecodeInput& input) {
  Cursor in(input.body, input.size);
  MysqlGtidEvent gtid;
  gtid.anonymous = input.header.type_code == type::anonymous_gtid;
  gtid.gtid_flags = in.u8("gtid flags");
  in.need(16, "source uuid");
  std::string uuid = uuid_text(in.here());
  in.skip(16);
  std::int64_t gno = static_cast<std::int64_t>(in.u64("gno"));
  if (!gtid.anonymous) gtid.gtid = uuid + ":" + std::to_string(gno);
  if (in.remaining() >= 17 && in.u8() == 2) {  // logical timestamps (5.7+)
    gtid.last_committed = static_cast<std::int64_t>(in.u64());
    gtid.sequence_number = static_cast<std::int64_t>(in.u64());
  }
  if (in.remaining() >= 7) {  // 8.0.1+: commit timestamps, transaction length, server versions
    std::uint64_t immediate = in.uint(7);
    constexpr std::uint64_t has_original = 1ULL << 55;
    gtid.immediate_commit_us = immediate & ~has_original;
    gtid.original_commit_us = gtid.immediate_commit_us;
    if ((immediate & has_original) && in.remaining() >= 7) gtid.original_commit_us = in.uint(7);
    if (!in.empty()) gtid.transaction_length = in.packed("transaction length");
    if (in.remaining() >= 4) {
      std::uint32_t version = in.u32();
      constexpr std::uint32_t has_original_version = 1U << 31;
      gtid.immediate_server_version = version & ~has_original_version;
      gtid.original_server_version = gtid.immediate_server_version;
      if ((version & has_original_version) && in.remaining() >= 4) {
        gtid.original_server_version = in.u32();
      }
    }
  }
  return gtid;
}

GtidSetEvent decode_previous_gtids(const DecodeInput& input) {
  Cursor in(input.body, input.size);
  std::uint64_t sids = in.u64("sid count");
  if (sids >> 56) {
    // 8.3+ tagged GTID sets store a format byte here; report instead of misreading.
    return {"(tagged GTID set, not decoded)"};
  }
  std::string text;
  for (std::uint64_t s = 0; s < sids; ++s) {
    in.need(16, "sid");
    std::string uuid = uuid_text(in.here());
    in.skip(16);
    std::uint64_t intervals = in.u64("interval count");
    in.need(intervals * 16, "intervals");
    if (!text.empty()) text += ",";
    text += uuid;
    for (std::uint64_t i = 0; i < intervals; ++i) {
      std::uint64_t start = in.u64(), end = in.u64();  // end is exclusive
      text += ":" + std::to_string(start);
      if (end > start + 1) text += "-" + std::to_string(end - 1);
    }
  }
  return {text};
}

MariaGtidEvent decode_mariadb_gtid(const DecodeInput& input) {
  Cursor in(input.body, input.size);
  MariaGtidEvent gtid;
  gtid.sequence = in.u64("sequence");
  gtid.domain_id = in.u32("domain id");
  gtid.flags = in.u8("flags");
  if (gtid.flags & 2) gtid.commit_id = in.u64("commit id");
  if (gtid.flags & (64 | 128)) {
    in.u32("XA format id");
    std::size_t gtrid = in.u8("XA gtrid length"), bqual = in.u8("XA bqual length");
    if (gtrid > 64 || bqual > 64) throw Corrupt("XA xid lengths out of range in GTID event");
    gtid.xa_xid = hex_text(in.string(gtrid + bqual, "XA xid"));
  }
  return gtid;
}

GtidListEvent decode_gtid_list(const DecodeInput& input) {
  Cursor in(input.body, input.size);
  GtidListEvent list;
  std::uint32_t word = in.u32("gtid count");
  list.flags = word >> 28;
  std::uint32_t count = word & 0x0fffffff;
  in.need(std::size_t(count) * 16, "gtid list");
  for (std::uint32_t i = 0; i < count; ++i) {
    MariaGtid gtid;
    gtid.domain_id = in.u32();
    gtid.server_id = in.u32();
    gtid.sequence = in.u64();
    list.gtids.push_back(gtid);
  }
  return list;
}

}  // namespace

Body decode_gtid_family(const DecodeInput& input) {
  switch (input.header.type_code) {
    case type::gtid:
    case type::anonymous_gtid: return decode_mysql_gtid(input);
    case type::previous_gtids: return decode_previous_gtids(input);
    case type::mariadb_gtid: return decode_mariadb_gtid(input);
    case type::gtid_list: return decode_gtid_list(input);
    default: return UnknownEvent{};
  }
}

}  // namespace mysqlpitr::binlog
