#pragma once
// Move-only owner of a bson_t, and the few conversions the dump format needs (extended JSON in
// metadata.json, raw bytes in .bson files).
#include <bson/bson.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mysqlpitr::mongo {

class Bson {
 public:
  Bson();  // an empty document
  // Takes ownership of a heap bson_t (from bson_new, bson_copy, bson_new_from_json...).
  static Bson adopt(bson_t* owned);
  static Bson copy_of(const bson_t* document);
  // Copies raw document bytes; throws when they are not one well-formed document.
  static Bson from_bytes(std::span<const std::uint8_t> bytes);
  // Canonical or relaxed extended JSON, as mongodump writes in metadata.json.
  static Bson from_json(std::string_view json);

  Bson(Bson&& other) noexcept;
  Bson& operator=(Bson&& other) noexcept;
  Bson(const Bson&) = delete;
  Bson& operator=(const Bson&) = delete;
  ~Bson();

  bson_t* get() noexcept { return doc_; }
  const bson_t* get() const noexcept { return doc_; }
  std::span<const std::uint8_t> bytes() const noexcept;
  bool empty() const noexcept { return bson_count_keys(doc_) == 0; }

  std::string canonical_json() const;
  std::string relaxed_json() const;

 private:
  explicit Bson(bson_t* owned) : doc_(owned) {}
  bson_t* doc_;
};

// The string value of `key` in `document`, or empty when absent or not a string.
std::string string_field(const bson_t* document, const char* key);

}  // namespace mysqlpitr::mongo
