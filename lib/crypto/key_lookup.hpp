#pragma once
// The key an encrypted file's header asks for, or the one message every reader gives when it is
// not there: which key id the file needs, and which keys are configured.
#include <string>

#include "crypto/header.hpp"
#include "crypto/key.hpp"

namespace mysqlpitr::crypto {

// `keys` null: no key is configured. Throws a precondition error (exit 5) naming the file.
const Key& key_for_header(KeyRing* keys, const Header& header, const std::string& name);

}  // namespace mysqlpitr::crypto
