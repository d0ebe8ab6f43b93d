#pragma once
// Where an object of the bucket is on the wire: the URL of a request (path-style or virtual-host),
// the object key under the prefix, and the s3:// name messages show. Encoding follows SigV4's
// canonical form (RFC 3986 unreserved characters kept, every other byte %XX in upper case), so the
// URL libcurl sends is already the canonical URI and query it signs: libcurl 7.88 signs the query
// as given, neither sorted nor completed with '=' (checked against a reference signer).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/storage.hpp"

namespace mysqlpitr::storage::s3 {

// Percent-encodes every byte but A-Z a-z 0-9 - _ . ~ (and '/' when `keep_slash`).
std::string uri_encode(std::string_view text, bool keep_slash);
// Decodes %XX sequences (a listing with encoding-type=url); '+' stays '+'.
std::string uri_decode(std::string_view text);

using Query = std::vector<std::pair<std::string, std::string>>;

class Location {
 public:
  explicit Location(const S3Options& options);

  // The bucket's key of an object: the prefix, then the storage key.
  std::string object_key(const std::string& key) const { return prefix_ + key; }
  // The storage key of a bucket key under the prefix.
  std::string storage_key(const std::string& object_key) const { return object_key.substr(prefix_.size()); }
  const std::string& prefix() const { return prefix_; }

  // URL of an object (`object_key` already under the prefix), with a query sorted and encoded.
  std::string object_url(const std::string& object_key, Query query = {}) const;
  // URL of the bucket itself (listings).
  std::string bucket_url(Query query = {}) const;
  // "s3://bucket/prefix/key" for messages.
  std::string describe(const std::string& key) const;

 private:
  std::string base_;  // scheme://host[:port][/bucket]
  std::string bucket_;
  std::string prefix_;  // "" or ending with '/'
};

// The canonical query string: sorted by name, every name=value encoded.
std::string canonical_query(Query query);

}  // namespace mysqlpitr::storage::s3
