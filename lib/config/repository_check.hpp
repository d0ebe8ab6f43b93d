#pragma once
// Checks of [repository] and [s3]: values in their sets and ranges, and, when the repository uses
// the bucket (mode s3 or both), that the endpoint, bucket and credentials are all there.
#include "config/settings.hpp"

namespace mysqlpitr::config {

// Throws a usage error naming the key and where it came from; never echoes a secret or a URL's
// credentials.
void validate_repository(const Settings& settings);

}  // namespace mysqlpitr::config
