#include <string>

#include "binlog/bytes.hpp"
#include "binlog/decode.hpp"
#include "binlog/format.hpp"

namespace mysqlpitr::binlog {

namespace {

RotateEvent decode_rotate(const DecodeInput& input) {
  Cursor in(input.body, input.size);
  RotateEvent rotate;
  if (input.format.post_header(type::rotate, 8) >= 8) rotate.position = in.u64("rotate position");
  rotate.next_file = in.rest_string();
  return rotate;
}

UserVarEvent decode_user_var(const DecodeInput& input) {
  Cursor in(input.body, input.size);
  UserVarEvent var;
  var.name = in.string(in.u32("name length"), "variable name");
  var.is_null = in.u8("null flag") != 0;
  if (!var.is_null) {
    var.value_type = in.u8("value type");
    var.charset = in.u32("charset");
    var.value = in.string(in.u32("value length"), "variable value");
    if (!in.empty()) var.flags = in.u8();
  }
  return var;
}

TransactionPayloadEvent decode_payload_header(const DecodeInput& input) {
  Cursor in(input.body, input.size);
  TransactionPayloadEvent payload;
  // Type-length-value fields, each a packed integer, until the end mark (type 0).
  while (true) {
    std::uint64_t field = in.packed("payload field type");
    if (field == 0) break;
    std::uint64_t length = in.packed("payload field length");
    in.need(length, "payload field");
    Cursor value(in.here(), length);
    in.skip(length);
    std::uint64_t number = value.packed("payload field value");
    if (field == 1) payload.payload_size = number;
    else if (field == 2) payload.compression = number;
    else if (field == 3) payload.uncompressed_size = number;
  }
  if (payload.payload_size != in.remaining()) {
    throw Corrupt("transaction payload declares " + std::to_string(payload.payload_size) +
                  " bytes but carries " + std::to_string(in.remaining()));
  }
  return payload;
}

}  // namespace

// Bytes before the compressed payload of a Transaction_payload body.
std::size_t payload_header_length(const std::uint8_t* body, std::size_t size) {
  DecodeInput input{EventHeader{}, body, size, FormatDescription{}};
  TransactionPayloadEvent payload = decode_payload_header(input);
  return size - payload.payload_size;
}

Body decode_body(const DecodeInput& input, TableMaps& tables) {
  const std::uint8_t code = input.header.type_code;
  RowsType rows_family{};
  if (rows_type(code, rows_family)) return decode_rows(input, tables);
  Cursor in(input.body, input.size);
  switch (code) {
    case type::query:
    case type::query_compressed:
    case type::execute_load_query:
      return decode_query(input);
    case type::table_map: {
      TableMapEvent map = decode_table_map(input);
      tables[map.table_id] = map;
      return map;
    }
    case type::xid: return XidEvent{in.u64("xid")};
    case type::rotate: return decode_rotate(input);
    case type::stop: return StopEvent{};
    case type::intvar: {
      IntvarEvent intvar;
      intvar.kind = in.u8("intvar type");
      intvar.value = in.u64("intvar value");
      return intvar;
    }
    case type::rand: {
      RandEvent rand;
      rand.seed1 = in.u64("seed1");
      rand.seed2 = in.u64("seed2");
      return rand;
    }
    case type::user_var: return decode_user_var(input);
    case type::rows_query:
      in.skip(1, "rows query length");  // a truncated length byte; the text runs to the end
      return RowsQueryEvent{in.rest_string()};
    case type::annotate_rows: return RowsQueryEvent{in.rest_string()};
    case type::gtid:
    case type::anonymous_gtid:
    case type::previous_gtids:
    case type::mariadb_gtid:
    case type::gtid_list:
      return decode_gtid_family(input);
    case type::binlog_checkpoint: {
      std::size_t length = in.u32("checkpoint name length");
      return CheckpointEvent{in.string(length, "checkpoint file name")};
    }
    case type::xa_prepare: {
      XaPrepareEvent xa;
      xa.one_phase = in.u8("one phase") != 0;
      xa.format_id = in.u32("XA format id");
      std::size_t gtrid = in.u32("gtrid length"), bqual = in.u32("bqual length");
      if (gtrid > 64 || bqual > 64) throw Corrupt("XA xid lengths out of range");
      xa.gtrid = in.string(gtrid, "gtrid");
      xa.bqual = in.string(bqual, "bqual");
      return xa;
    }
    case type::incident: {
      IncidentEvent incident;
      incident.number = in.u16("incident number");
      if (!in.empty()) incident.message = in.string(in.u8(), "incident message");
      return incident;
    }
    case type::heartbeat: return HeartbeatEvent{in.rest_string()};
    case type::begin_load_query:
    case type::append_block:
    case type::create_file: {
      LoadBlockEvent block;
      block.file_id = in.u32("file id");
      block.block_length = in.remaining();
      return block;
    }
    case type::delete_file:
    case type::exec_load: return LoadBlockEvent{in.u32("file id"), 0};
    case type::transaction_payload: return decode_payload_header(input);
    case type::start_encryption: {
      StartEncryptionEvent start;
      start.scheme = in.u8("encryption scheme");
      start.key_version = in.u32("key version");
      return start;
    }
    default: return UnknownEvent{};
  }
}

}  // namespace mysqlpitr::binlog
