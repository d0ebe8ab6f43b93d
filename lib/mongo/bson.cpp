#include "mongo/bson.hpp"

#include <utility>

#include "core/error.hpp"

namespace mysqlpitr::mongo {

namespace {
// bson_as_*_extended_json returns a string owned by libbson.
std::string take_json(char* json) {
  if (json == nullptr) throw failure("cannot convert a BSON document to JSON");
  std::string text(json);
  bson_free(json);
  return text;
}
}  // namespace

Bson::Bson() : doc_(bson_new()) {}

Bson Bson::adopt(bson_t* owned) {
  if (owned == nullptr) throw failure("out of memory building a BSON document");
  return Bson(owned);
}

Bson Bson::copy_of(const bson_t* document) { return adopt(bson_copy(document)); }

Bson Bson::from_bytes(std::span<const std::uint8_t> bytes) {
  bson_t* doc = bson_new_from_data(bytes.data(), bytes.size());
  if (doc == nullptr) throw failure("malformed BSON document of {} bytes", bytes.size());
  return Bson(doc);
}

Bson Bson::from_json(std::string_view json) {
  bson_error_t error;
  bson_t* doc = bson_new_from_json(reinterpret_cast<const std::uint8_t*>(json.data()),
                                   static_cast<ssize_t>(json.size()), &error);
  if (doc == nullptr) throw failure("invalid extended JSON: {}", error.message);
  return Bson(doc);
}

Bson::Bson(Bson&& other) noexcept : doc_(std::exchange(other.doc_, nullptr)) {}

Bson& Bson::operator=(Bson&& other) noexcept {
  if (this != &other) {
    if (doc_ != nullptr) bson_destroy(doc_);
    doc_ = std::exchange(other.doc_, nullptr);
  }
  return *this;
}

Bson::~Bson() {
  if (doc_ != nullptr) bson_destroy(doc_);
}

std::span<const std::uint8_t> Bson::bytes() const noexcept {
  return {bson_get_data(doc_), doc_->len};
}

std::string Bson::canonical_json() const {
  return take_json(bson_as_canonical_extended_json(doc_, nullptr));
}

std::string Bson::relaxed_json() const {
  return take_json(bson_as_relaxed_extended_json(doc_, nullptr));
}

std::string string_field(const bson_t* document, const char* key) {
  bson_iter_t iter;
  if (bson_iter_init_find(&iter, document, key) && BSON_ITER_HOLDS_UTF8(&iter)) {
    std::uint32_t length = 0;
    const char* text = bson_iter_utf8(&iter, &length);
    return std::string(text, length);
  }
  return {};
}

}  // namespace mysqlpitr::mongo
