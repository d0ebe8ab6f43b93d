#include "mongo/metadata.hpp"

#include <cstring>

#include "core/error.hpp"
#include "mongo/byte_file.hpp"

namespace mysqlpitr::mongo {

bool CollectionMetadata::is_view() const {
  bson_iter_t iter;
  return type == "view" || bson_iter_init_find(&iter, options.get(), "viewOn");
}

bool CollectionMetadata::is_timeseries() const {
  bson_iter_t iter;
  return type == "timeseries" || bson_iter_init_find(&iter, options.get(), "timeseries");
}

namespace {
Bson sub_document(const bson_iter_t* iter) {
  std::uint32_t length = 0;
  const std::uint8_t* data = nullptr;
  if (BSON_ITER_HOLDS_ARRAY(iter)) {
    bson_iter_array(iter, &length, &data);
  } else {
    bson_iter_document(iter, &length, &data);
  }
  return Bson::from_bytes({data, length});
}
}  // namespace

CollectionMetadata parse_metadata(std::string_view json, const std::string& origin) {
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw failure("{}: metadata file is empty", origin);
  }
  Bson document = with_context(origin, [&] { return Bson::from_json(json); });
  CollectionMetadata metadata;
  bson_iter_t iter;
  if (!bson_iter_init(&iter, document.get())) throw failure("{}: unreadable metadata", origin);
  while (bson_iter_next(&iter)) {
    const char* key = bson_iter_key(&iter);
    if (std::strcmp(key, "options") == 0) {
      if (!BSON_ITER_HOLDS_DOCUMENT(&iter)) throw failure("{}: \"options\" is not an object", origin);
      metadata.options = sub_document(&iter);
    } else if (std::strcmp(key, "indexes") == 0) {
      if (BSON_ITER_HOLDS_NULL(&iter)) continue;
      if (!BSON_ITER_HOLDS_ARRAY(&iter)) throw failure("{}: \"indexes\" is not an array", origin);
      bson_iter_t item;
      bson_iter_recurse(&iter, &item);
      while (bson_iter_next(&item)) {
        if (!BSON_ITER_HOLDS_DOCUMENT(&item)) {
          throw failure("{}: index {} is not an object", origin, bson_iter_key(&item));
        }
        metadata.indexes.push_back(sub_document(&item));
      }
    } else if (BSON_ITER_HOLDS_UTF8(&iter)) {
      std::uint32_t length = 0;
      const char* text = bson_iter_utf8(&iter, &length);
      std::string value(text, length);
      if (std::strcmp(key, "uuid") == 0) metadata.uuid = value;
      if (std::strcmp(key, "collectionName") == 0) metadata.collection_name = value;
      if (std::strcmp(key, "type") == 0) metadata.type = value;
    }
  }
  return metadata;
}

CollectionMetadata read_metadata_file(const std::filesystem::path& path, const FileOpener& open) {
  return parse_metadata(read_whole_file(path, open), path.string());
}

std::string metadata_json(const CollectionMetadata& metadata) {
  Bson document;
  if (!metadata.options.empty()) BSON_APPEND_DOCUMENT(document.get(), "options", metadata.options.get());
  bson_t indexes;
  BSON_APPEND_ARRAY_BEGIN(document.get(), "indexes", &indexes);
  for (std::size_t i = 0; i < metadata.indexes.size(); ++i) {
    std::string key = std::to_string(i);
    bson_append_document(&indexes, key.c_str(), -1, metadata.indexes[i].get());
  }
  bson_append_array_end(document.get(), &indexes);
  if (!metadata.uuid.empty()) BSON_APPEND_UTF8(document.get(), "uuid", metadata.uuid.c_str());
  bson_append_utf8(document.get(), "collectionName", -1, metadata.collection_name.data(),
                   static_cast<int>(metadata.collection_name.size()));
  if (!metadata.type.empty()) BSON_APPEND_UTF8(document.get(), "type", metadata.type.c_str());
  return document.canonical_json();
}

bool index_for_create(const bson_t* spec, Bson& out) {
  if (string_field(spec, "name") == "_id_") return false;
  out = Bson();
  bson_iter_t iter;
  bson_iter_init(&iter, spec);
  while (bson_iter_next(&iter)) {
    if (std::strcmp(bson_iter_key(&iter), "ns") == 0) continue;
    bson_append_iter(out.get(), nullptr, 0, &iter);
  }
  return true;
}

}  // namespace mysqlpitr::mongo
