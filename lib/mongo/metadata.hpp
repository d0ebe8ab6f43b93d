#pragma once
// <collection>.metadata.json as mongodump writes it: extended JSON (canonical, or relaxed in old
// dumps) of {options, indexes, uuid, collectionName, type}. Old dumps lack collectionName/type; a
// view has type "view" (or options.viewOn) and no .bson file; a time-series collection has type
// "timeseries" and its data in system.buckets.<name>.bson.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "mongo/bson.hpp"
#include "mongo/byte_file.hpp"

namespace mysqlpitr::mongo {

struct CollectionMetadata {
  Bson options;
  std::vector<Bson> indexes;
  std::string uuid;             // hex, may be empty
  std::string collection_name;  // may be empty in dumps older than mongodump 100.x
  std::string type;             // "collection", "view", "timeseries" or empty

  bool is_view() const;
  bool is_timeseries() const;
};

// `origin` names the file in error messages.
CollectionMetadata parse_metadata(std::string_view json, const std::string& origin);
CollectionMetadata read_metadata_file(const std::filesystem::path& path, const FileOpener& open = {});

// Canonical extended JSON with mongodump's fields and order (options and uuid and type only when set).
std::string metadata_json(const CollectionMetadata& metadata);

// An index specification without the fields a createIndexes command must not carry ("ns", which
// servers since 4.4 reject, and nothing else). Returns false for the _id index, which `create` makes.
bool index_for_create(const bson_t* spec, Bson& out);

}  // namespace mysqlpitr::mongo
